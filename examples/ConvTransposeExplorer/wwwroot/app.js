// The explorer's page: reads the form, asks /api/explain (MiniTorch computes everything there) and
// draws the answer. Numbers are always the server's text; this file only lays them out and colours them.
'use strict';

const $ = id => document.getElementById(id);
const state = { data: null, step: 0, sel: { o: 0, r: 0, q: 0 }, playing: null, seq: 0, timer: null };
const PAIRS = ['in', 'k', 's', 'p', 'op', 'd'];

// ---- colour scales ---------------------------------------------------------------------------------
function scaleOf(values) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) { lo = 0; hi = 0; }
  if (lo < 0 && hi > 0) { const m = Math.max(-lo, hi); return { kind: 'diverging', lo: -m, hi: m }; }
  if (hi <= 0 && lo < 0) return { kind: 'diverging', lo: lo, hi: -lo };
  return { kind: 'sequential', lo: 0, hi: hi };
}
const SEQ = [[255, 255, 255], [254, 224, 182], [245, 152, 68], [196, 78, 12], [110, 36, 6]];
const NEG = [33, 102, 172], POS = [178, 24, 43];
function mix(a, b, t) { return a.map((x, i) => Math.round(x + (b[i] - x) * t)); }
function colourOf(v, sc) {
  if (!Number.isFinite(v)) return { rgb: [200, 200, 200], dark: false };
  if (sc.kind === 'diverging') {
    const t = sc.hi === 0 ? 0 : Math.max(-1, Math.min(1, v / sc.hi));
    return { rgb: mix([255, 255, 255], t < 0 ? NEG : POS, Math.abs(t)), dark: Math.abs(t) > 0.6 };
  }
  const t = sc.hi === sc.lo ? (v > 0 ? 1 : 0) : Math.max(0, Math.min(1, (v - sc.lo) / (sc.hi - sc.lo)));
  const x = t * (SEQ.length - 1), i = Math.min(SEQ.length - 2, Math.floor(x));
  return { rgb: mix(SEQ[i], SEQ[i + 1], x - i), dark: t > 0.62 };
}
const css = rgb => `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;

// A colour bar: the gradient with its end values (the server's text for the extreme elements).
function colourBar(view, sc, label) {
  const ns = 'http://www.w3.org/2000/svg', w = 200, id = 'g' + Math.random().toString(36).slice(2);
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'colorbar'); svg.setAttribute('width', w + 40); svg.setAttribute('height', 34);
  const defs = document.createElementNS(ns, 'defs'), grad = document.createElementNS(ns, 'linearGradient');
  grad.setAttribute('id', id);
  for (let i = 0; i <= 10; i++) {
    const stop = document.createElementNS(ns, 'stop'), v = sc.lo + (sc.hi - sc.lo) * i / 10;
    stop.setAttribute('offset', `${i * 10}%`); stop.setAttribute('stop-color', css(colourOf(v, sc).rgb));
    grad.appendChild(stop);
  }
  defs.appendChild(grad); svg.appendChild(defs);
  const rect = document.createElementNS(ns, 'rect');
  Object.entries({ x: 20, y: 2, width: w, height: 12, fill: `url(#${id})`, stroke: '#c8ced8' }).forEach(([k, v]) => rect.setAttribute(k, v));
  svg.appendChild(rect);
  // End labels are the server's text for the extreme elements (a diverging scale is symmetric about 0).
  let iMax = 0, iAbs = 0;
  view.values.forEach((v, i) => { if (v > view.values[iMax]) iMax = i; if (Math.abs(v) > Math.abs(view.values[iAbs])) iAbs = i; });
  const ticks = [];
  if (sc.kind === 'diverging') {
    const t = view.text[iAbs].replace(/^-/, '');
    ticks.push(['−' + t, 20, 'start'], ['0', 20 + w / 2, 'middle'], [t, 20 + w, 'end']);
  } else {
    ticks.push(['0', 20, 'start'], [view.text[iMax], 20 + w, 'end']);
    if (label) ticks.push([label, 20 + w / 2, 'middle']);
  }
  for (const [t, x, anchor] of ticks) {
    const el = document.createElementNS(ns, 'text');
    el.setAttribute('x', x); el.setAttribute('y', 27); el.setAttribute('text-anchor', anchor); el.textContent = t;
    svg.appendChild(el);
  }
  return svg;
}

// ---- grids -------------------------------------------------------------------------------------------
// Draws a tensor view [C, H, W] (or [H, W]) as one table per channel; decorate(c, r, q, td) adds classes.
function drawMap(host, view, opts = {}) {
  host.textContent = '';
  if (!view) return;
  const shape = view.shape.length === 2 ? [1, ...view.shape] : view.shape;
  const [C, H, W] = shape.length === 4 ? [shape[0] * shape[1], shape[2], shape[3]] : shape;
  const sc = opts.scale || scaleOf(view.values);
  const wrap = document.createElement('div');
  wrap.className = 'channels';
  for (let c = 0; c < C; c++) {
    const box = document.createElement('div');
    if (C > 1 || opts.channelLabel) {
      const lab = document.createElement('div');
      lab.className = 'channel-label';
      lab.textContent = opts.channelLabel ? opts.channelLabel(c) : `channel ${c}`;
      box.appendChild(lab);
    }
    const table = document.createElement('table');
    table.className = 'grid';
    if (opts.axes !== false) {
      const head = table.insertRow();
      head.appendChild(Object.assign(document.createElement('th'), { className: 'axis', textContent: H > 1 ? 'row\\col' : 'col' }));
      for (let q = 0; q < W; q++) head.appendChild(Object.assign(document.createElement('th'), { textContent: q }));
    }
    for (let r = 0; r < H; r++) {
      const tr = table.insertRow();
      if (opts.axes !== false) tr.appendChild(Object.assign(document.createElement('th'), { textContent: H > 1 ? r : '' }));
      for (let q = 0; q < W; q++) {
        const i = (c * H + r) * W + q, td = tr.insertCell(), v = view.values[i], col = colourOf(v, sc);
        td.className = 'cell' + (col.dark ? ' dark' : '');
        td.style.backgroundColor = css(col.rgb);
        td.textContent = view.text[i];
        td.dataset.c = c; td.dataset.r = r; td.dataset.q = q;
        td.title = `[${C > 1 ? c + ', ' : ''}${H > 1 ? r + ', ' : ''}${q}] = ${view.text[i]}`;
        if (opts.decorate) opts.decorate(c, r, q, td);
      }
    }
    box.appendChild(table);
    wrap.appendChild(box);
  }
  host.appendChild(wrap);
  if (opts.bar !== false) host.appendChild(colourBar(view, sc, opts.barLabel));
}

// ---- the form and the query string -----------------------------------------------------------------
function setupToForm(s) {
  $('ctl-conv-' + (s.convention === 'Keras' ? 'keras' : 'pytorch')).checked = true;
  $('ctl-rank-' + s.rank).checked = true;
  $('ctl-dtype-' + (s.dType === 'Float64' ? 'float64' : 'float32')).checked = true;
  $('ctl-cin').value = s.inChannels; $('ctl-cout').value = s.outChannels;
  const pairs = { in: s.input, k: s.kernel, s: s.stride, p: s.padding, op: s.outputPadding, d: s.dilation };
  for (const key of PAIRS) { $(`ctl-${key}-h`).value = pairs[key].h; $(`ctl-${key}-w`).value = pairs[key].w; }
  $('ctl-kp').value = s.kerasPadding;
  $('ctl-x').value = s.xSpec; $('ctl-w').value = s.wSpec;
  $('ctl-preset').value = s.preset || '';
  applyModeClasses();
}

// Best effort for a link the server refused: show what it asked for, so the learner can mend it.
function queryToForm(q) {
  // Start from the server's defaults (SetupParser), then take what the link asked for.
  const defaults = { rank: '2', conv: 'pytorch', dtype: 'float32', cin: '1', cout: '1', in: '2,3', k: '3', s: '1', p: '0', op: '0', d: '1', x: 'arange', w: 'ones' };
  q = new URLSearchParams({ ...defaults, ...Object.fromEntries(q) });
  const radio = (name, v) => { const el = document.querySelector(`input[name=${name}][value="${v}"]`); if (el) el.checked = true; };
  if (q.has('rank')) radio('rank', q.get('rank'));
  if (q.has('conv')) radio('conv', q.get('conv').toLowerCase());
  if (q.has('dtype')) radio('dtype', q.get('dtype').toLowerCase());
  if (q.has('cin')) $('ctl-cin').value = q.get('cin');
  if (q.has('cout')) $('ctl-cout').value = q.get('cout');
  for (const key of PAIRS) {
    if (!q.has(key)) continue;
    const parts = q.get(key).split(',');
    if (key === 'p' && /^(same|valid)$/i.test(parts[0])) { $('ctl-kp').value = parts[0].toLowerCase(); continue; }
    $(`ctl-${key}-h`).value = parts[0]; $(`ctl-${key}-w`).value = parts.length > 1 ? parts[1] : parts[0];
  }
  if (q.has('x')) $('ctl-x').value = q.get('x');
  if (q.has('w')) $('ctl-w').value = q.get('w');
  applyModeClasses();
}

function applyModeClasses() {
  const rank = document.querySelector('input[name=rank]:checked').value, conv = document.querySelector('input[name=conv]:checked').value;
  document.body.classList.toggle('rank1', rank === '1');
  document.body.classList.toggle('keras', conv === 'keras');
  $('w-head').textContent = rank === '1' ? 'length' : 'width';
}

function formToQuery() {
  const rank = document.querySelector('input[name=rank]:checked').value;
  const conv = document.querySelector('input[name=conv]:checked').value;
  const q = new URLSearchParams();
  q.set('rank', rank); q.set('conv', conv); q.set('dtype', document.querySelector('input[name=dtype]:checked').value);
  q.set('cin', $('ctl-cin').value); q.set('cout', $('ctl-cout').value);
  for (const key of PAIRS) {
    if (conv === 'keras' && (key === 'p' || key === 'op')) continue;
    const h = $(`ctl-${key}-h`).value.trim(), w = $(`ctl-${key}-w`).value.trim();
    const value = rank === '1' ? w : h && w ? `${h},${w}` : h || w;
    if (value) q.set(key, value); // an empty field takes the server's default
  }
  if (conv === 'keras') q.set('p', $('ctl-kp').value);
  q.set('x', $('ctl-x').value); q.set('w', $('ctl-w').value);
  return q;
}

function uiParams(q) {
  q.set('step', state.step);
  q.set('sel', `${state.sel.o},${state.sel.r},${state.sel.q}`);
  return q;
}

// ---- talking to the server ---------------------------------------------------------------------------
async function load(query, push) {
  const seq = ++state.seq;
  let data, status;
  try {
    const res = await fetch('api/explain?' + query.toString());
    status = res.status;
    data = await res.json();
  } catch (e) {
    data = { error: 'the server did not answer: ' + e.message, errorSource: 'network' };
  }
  if (seq !== state.seq) return; // a newer request is on its way
  const ui = new URLSearchParams(location.search);
  render(data, status, push, query);
  if (push === 'initial') restoreUi(ui);
}

function restoreUi(ui) {
  const step = parseInt(ui.get('step') || '', 10);
  if (Number.isFinite(step)) setStep(step);
  const sel = (ui.get('sel') || '').split(',').map(v => parseInt(v, 10));
  if (sel.length === 3 && sel.every(Number.isFinite)) selectWindow(sel[0], sel[1], sel[2]);
}

function writeUrl() {
  if (!state.data || !state.data.query) return;
  const q = state.data.setup && state.data.setup.preset ? new URLSearchParams({ preset: state.data.setup.preset }) : new URLSearchParams(state.data.query);
  const link = '?' + uiParams(q).toString();
  history.replaceState(null, '', link);
  $('deep-link').href = link;
  $('json-link').href = 'api/explain?' + state.data.query;
}

function render(data, status, push, sentQuery) {
  state.data = data.error ? state.data : data;
  const failed = !!data.error;
  document.body.classList.toggle('failed', failed);
  $('error').hidden = !failed;
  if (failed) {
    $('error-source').textContent = data.errorSource === 'pytorch' ? 'PyTorch would stop here:' : 'The explorer cannot draw this:';
    $('error-message').textContent = data.error;
    if (push === 'initial') { if (data.setup) setupToForm(data.setup); else queryToForm(sentQuery); }
    const link = '?' + sentQuery.toString();
    history.replaceState(null, '', link);
    $('deep-link').href = link;
    document.body.dataset.render = String(+document.body.dataset.render + 1);
    document.body.dataset.status = String(status);
    return;
  }
  if (push === 'initial' || push === 'preset') setupToForm(data.setup);
  $('call').textContent = data.call;
  $('preset-note').textContent = data.presetNote || '';
  const s = data.setup;
  const shapeText = (v, drop) => '[' + (s.rank === 1 && drop ? v.shape.filter((_, i) => i !== drop) : v.shape).join(', ') + ']';
  $('shape-input').textContent = shapeText(data.input, 1);
  $('shape-weight').textContent = shapeText(data.weight, 2);
  $('shape-output').textContent = shapeText(data.output, 1);
  drawMap($('map-input'), data.input);
  drawMap($('map-weight'), data.weight, { channelLabel: c => `weight[${Math.floor(c / s.outChannels)}, ${c % s.outChannels}]` });
  $('fig-keras').hidden = !data.kerasKernel;
  if (data.kerasKernel) {
    $('shape-keras').textContent = '(' + data.kerasKernel.shape.join(', ') + ')';
    drawKeras(data.kerasKernel);
  }
  drawMap($('map-output'), data.output);
  $('printed').textContent = Object.entries(data.printed).map(([k, v]) => `${k}: ${v}`).join('\n\n');
  $('notices').textContent = (data.notices || []).join(' · ');
  drawFormula(data);
  state.step = Math.min(state.step, Math.max(0, data.scatter.steps.length - 1));
  drawScatter();
  state.sel = clampSel(state.sel);
  drawZero();
  drawMatrix(data.matrix);
  drawOverlap(data.overlap);
  drawGradient(data.gradient);
  writeUrl();
  document.body.dataset.render = String(+document.body.dataset.render + 1);
  document.body.dataset.status = String(status);
}

// Keras' (kh, kw, out, in) kernel: one kh×kw table per (out, in) pair.
function drawKeras(view) {
  const [kh, kw, o, i] = view.shape, values = [], text = [];
  for (let a = 0; a < o; a++) for (let b = 0; b < i; b++) for (let r = 0; r < kh; r++) for (let q = 0; q < kw; q++) {
    const idx = ((r * kw + q) * o + a) * i + b;
    values.push(view.values[idx]); text.push(view.text[idx]);
  }
  drawMap($('map-keras'), { shape: [o * i, kh, kw], values, text }, { channelLabel: c => `kernel[:, :, ${Math.floor(c / i)}, ${c % i}]` });
}

function drawFormula(data) {
  const host = $('formula');
  host.textContent = '';
  for (const f of data.formula) {
    const div = document.createElement('div');
    div.className = 'formula-line';
    div.innerHTML = '<div class="symbolic"></div><div class="numeric"></div><div class="back"></div><div class="range"></div>';
    div.querySelector('.symbolic').textContent = f.symbolic;
    const eq = f.numeric.lastIndexOf('= ');
    div.querySelector('.numeric').append(f.numeric.slice(0, eq + 2), Object.assign(document.createElement('b'), { textContent: f.numeric.slice(eq + 2) }));
    div.querySelector('.back').textContent = f.back;
    div.querySelector('.range').textContent = f.range;
    div.dataset.axis = f.axis;
    host.appendChild(div);
  }
}

// ---- scatter -----------------------------------------------------------------------------------------
function setStep(i) {
  const steps = state.data ? state.data.scatter.steps.length : 0;
  state.step = Math.max(0, Math.min(steps - 1, i));
  drawScatter();
  writeUrl();
}

function drawScatter() {
  const d = state.data, sc = d.scatter, s = d.setup, steps = sc.steps;
  const crop = sc.crop, fh = sc.full.shape[1], fw = sc.full.shape[2];
  const cut = (r, q) => r < crop.top || r >= fh - Math.max(crop.bottom, 0) || q < crop.left || q >= fw - Math.max(crop.right, 0);
  $('check-scatter').textContent = `max |cut canvas − ConvTranspose(x)| = ${sc.check}`;
  const scale = scaleOf(sc.full.values.concat(steps.length ? steps[steps.length - 1].sum.values : []));
  if (!steps.length) {
    $('step-label').textContent = 'the whole sum (too many elements to step through)';
    $('step-caption').textContent = '';
    drawMap($('map-scaled'), null);
    drawMap($('map-canvas'), sc.full, { scale, decorate: (c, r, q, td) => { if (cut(r, q)) td.classList.add('cut'); } });
    $('stack-1d').textContent = '';
    return;
  }
  const st = steps[state.step], kh = s.kernel.h, kw = s.kernel.w, dh = s.dilation.h, dw = s.dilation.w;
  const at = (s.rank === 1 ? `x[${st.channel}, ${st.col}]` : `x[${st.channel}, ${st.row}, ${st.col}]`);
  $('step-label').textContent = `copy ${state.step + 1} of ${steps.length}`;
  $('step-caption').textContent = `${at} = ${st.value} scales weight[${st.channel}]; the copy starts at canvas ` +
    (s.rank === 1 ? `${st.left} = ${st.col}·${s.stride.w}` : `(${st.top}, ${st.left}) = (${st.row}·${s.stride.h}, ${st.col}·${s.stride.w})`) +
    (dh > 1 || dw > 1 ? `, taps ${s.rank === 1 ? dw : `(${dh}, ${dw})`} apart` : '');
  const inCopy = (r, q) => r >= st.top && q >= st.left && (r - st.top) % dh === 0 && (q - st.left) % dw === 0 &&
    (r - st.top) / dh < kh && (q - st.left) / dw < kw;
  drawMap($('map-scaled'), st.scaled);
  drawMap($('map-canvas'), st.sum, {
    scale, decorate: (c, r, q, td) => { if (inCopy(r, q)) td.classList.add('copy'); if (cut(r, q)) td.classList.add('cut'); },
  });
  if (s.rank === 1 && s.outChannels === 1) drawStack1d(d, scale);
  else $('stack-1d').textContent = '';
}

// 1-d: every copy on its own row, offset by stride, with the sum underneath (the classic picture).
function drawStack1d(d, scale) {
  const host = $('stack-1d'), sc = d.scatter, steps = sc.steps, fw = sc.full.shape[2], s = d.setup;
  host.textContent = '';
  const table = document.createElement('table');
  table.className = 'grid';
  const head = table.insertRow();
  head.appendChild(Object.assign(document.createElement('th'), { className: 'axis', textContent: 'copy\\col' }));
  for (let q = 0; q < fw; q++) head.appendChild(Object.assign(document.createElement('th'), { textContent: q }));
  steps.forEach((st, n) => {
    const tr = table.insertRow();
    tr.appendChild(Object.assign(document.createElement('th'), { textContent: `x[${st.channel},${st.col}]` }));
    for (let q = 0; q < fw; q++) {
      const td = tr.insertCell();
      td.className = 'cell';
      const j = (q - st.left) / s.dilation.w;
      if (q >= st.left && Number.isInteger(j) && j < s.kernel.w && s.outChannels === 1) {
        const v = st.scaled.values[j], col = colourOf(v, scale);
        td.textContent = st.scaled.text[j];
        td.style.backgroundColor = css(col.rgb);
        if (col.dark) td.classList.add('dark');
        if (n === state.step) td.classList.add('copy');
      }
    }
  });
  if (s.outChannels === 1) {
    const tr = table.insertRow(), last = steps[steps.length - 1].sum;
    tr.appendChild(Object.assign(document.createElement('th'), { textContent: 'sum' }));
    for (let q = 0; q < fw; q++) {
      const td = tr.insertCell(), col = colourOf(last.values[q], scale);
      td.className = 'cell' + (col.dark ? ' dark' : '');
      td.style.backgroundColor = css(col.rgb);
      td.textContent = last.text[q];
      if (q < sc.crop.left || q >= fw - Math.max(sc.crop.right, 0)) td.classList.add('cut');
    }
    const cap = document.createElement('figcaption');
    cap.textContent = 'all copies, one per row, and their sum (output channel 0)';
    host.append(cap, table);
  }
}

function togglePlay() {
  if (state.playing) { clearInterval(state.playing); state.playing = null; $('step-play').textContent = 'play'; return; }
  const n = state.data.scatter.steps.length;
  if (state.step >= n - 1) setStep(0);
  $('step-play').textContent = 'pause';
  state.playing = setInterval(() => {
    if (state.step >= n - 1) { togglePlay(); return; }
    setStep(state.step + 1);
  }, 900);
}

// ---- zero insertion ----------------------------------------------------------------------------------
function clampSel(sel) {
  if (!state.data) return sel;
  const [C, H, W] = state.data.output.shape;
  const clamp = (v, n) => Math.max(0, Math.min(n - 1, v | 0));
  return { o: clamp(sel.o, C), r: clamp(sel.r, H), q: clamp(sel.q, W) };
}

function selectWindow(o, r, q) {
  state.sel = clampSel({ o, r, q });
  drawZero();
  writeUrl();
}

function drawZero() {
  const d = state.data, z = d.zeroInsertion, s = d.setup, sel = state.sel;
  const pair = (a, b) => s.rank === 1 ? `${b}` : `(${a}, ${b})`;
  const words = (n, side) => n >= 0 ? `${n} on the ${side}` : `${-n} cut from the ${side}`;
  $('zero-explain').textContent =
    `1. Insert stride − 1 = ${pair(s.stride.h - 1, s.stride.w - 1)} zeros between neighbouring inputs. ` +
    `2. Pad by dilation·(kernel − 1) − padding: ${s.rank === 1 ? '' : `rows ${words(z.padTop, 'top')}, ${words(z.padBottom, 'bottom')}; columns `}` +
    `${words(z.padLeft, 'left')}, ${words(z.padRight, 'right')}` +
    (s.convention === 'Keras' ? ` (Keras '${s.kerasPadding}').` : (s.outputPadding.h || s.outputPadding.w ? ' (output_padding adds to the bottom/right only).' : '.')) +
    ' 3. Flip the kernel top–bottom and left–right. 4. Slide it over the padded input with stride 1: each window sum is one output.';
  const sh = s.stride.h, sw = s.stride.w, [, ph, pw] = z.padded.shape;
  const [, sth, stw] = z.stretched.shape;
  drawMap($('map-stretched'), z.stretched, {
    decorate: (c, r, q, td) => td.classList.add(r % sh === 0 && q % sw === 0 ? 'orig' : 'inserted'),
  });
  const kh = s.kernel.h, kw = s.kernel.w, dh = s.dilation.h, dw = s.dilation.w;
  const inWindow = (r, q) => r >= sel.r && q >= sel.q && (r - sel.r) % dh === 0 && (q - sel.q) % dw === 0 && (r - sel.r) / dh < kh && (q - sel.q) / dw < kw;
  drawMap($('map-padded'), z.padded, {
    decorate: (c, r, q, td) => {
      const sr = r - z.padTop, sq = q - z.padLeft;
      if (sr < 0 || sq < 0 || sr >= sth || sq >= stw) td.classList.add('pad');
      else if (sr % sh !== 0 || sq % sw !== 0) td.classList.add('inserted');
      if (inWindow(r, q)) td.classList.add('window');
    },
  });
  drawMap($('map-flipped'), z.flipped, { channelLabel: c => `flipped[${Math.floor(c / s.inChannels)}, ${c % s.inChannels}]` });
  drawMap($('map-zero-output'), z.output, {
    decorate: (c, r, q, td) => {
      if (c === sel.o && r === sel.r && q === sel.q) td.classList.add('selected');
      td.style.cursor = 'pointer';
      td.addEventListener('click', () => selectWindow(c, r, q));
    },
  });
  // The window's terms: padded · flipped for every tap on a non-zero input, then the server's output.
  const terms = [];
  for (let c = 0; c < s.inChannels; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    const pi = (c * ph + sel.r + i * dh) * pw + sel.q + j * dw, fi = ((sel.o * s.inChannels + c) * kh + i) * kw + j;
    if (z.padded.values[pi] !== 0 && z.flipped.values[fi] !== 0) terms.push(`${z.padded.text[pi]}·${z.flipped.text[fi]}`);
  }
  const oi = (sel.o * z.output.shape[1] + sel.r) * z.output.shape[2] + sel.q;
  const where = s.rank === 1 ? `y[${sel.o}, ${sel.q}]` : `y[${sel.o}, ${sel.r}, ${sel.q}]`;
  const shown = terms.length > 14 ? terms.slice(0, 14).concat([`… (${terms.length - 14} more)`]) : terms;
  $('window-sum').textContent = `${where} = ${shown.length ? shown.join(' + ') : '0 (the window covers only zeros)'} = ${z.output.text[oi]}`;
  $('check-zero').textContent = `max |sliding-window output − ConvTranspose(x)| = ${z.check}`;
}

// ---- matrix ------------------------------------------------------------------------------------------
function drawMatrix(m) {
  const host = $('matrix');
  host.textContent = '';
  $('check-matrix').textContent = `Cᵀ is ${m.rows}×${m.columns}; max |Cᵀ·vec(x) − ConvTranspose(x)| = ${m.check}`;
  if (!m.ct) { host.textContent = `Cᵀ is ${m.rows}×${m.columns}: too large to draw cell by cell; make the input or kernel smaller.`; return; }
  const x = state.data.input, sc = scaleOf(m.ct.values), psc = scaleOf(m.product.values);
  const table = document.createElement('table');
  table.className = 'grid matrix';
  const thead = table.createTHead(), head = thead.insertRow();
  head.appendChild(Object.assign(document.createElement('th'), { className: 'row-label', textContent: 'Cᵀ' }));
  m.columnLabels.forEach(l => head.appendChild(Object.assign(document.createElement('th'), { className: 'col-label', textContent: l })));
  head.appendChild(Object.assign(document.createElement('th'), { className: 'col-label', textContent: '' }));
  head.appendChild(Object.assign(document.createElement('th'), { className: 'col-label', textContent: 'Cᵀ·vec(x)' }));
  const vrow = thead.insertRow();
  vrow.appendChild(Object.assign(document.createElement('th'), { className: 'row-label', textContent: 'vec(x) →' }));
  x.text.forEach(t => vrow.appendChild(Object.assign(document.createElement('th'), { className: 'col-label', textContent: t })));
  const body = table.createTBody();
  for (let r = 0; r < m.rows; r++) {
    const tr = body.insertRow();
    tr.appendChild(Object.assign(document.createElement('th'), { className: 'row-label', textContent: m.rowLabels[r] }));
    for (let c = 0; c < m.columns; c++) {
      const i = r * m.columns + c, v = m.ct.values[i], td = tr.insertCell(), col = colourOf(v, sc);
      td.className = 'cell' + (v === 0 ? ' zero' : '') + (col.dark ? ' dark' : '');
      if (v !== 0) td.style.backgroundColor = css(col.rgb);
      td.textContent = m.ct.text[i];
      td.dataset.col = c;
    }
    tr.appendChild(Object.assign(document.createElement('td'), { className: 'sep', textContent: '=' }));
    const td = tr.insertCell(), col = colourOf(m.product.values[r], psc);
    td.className = 'cell product' + (col.dark ? ' dark' : '');
    td.style.backgroundColor = css(col.rgb);
    td.textContent = m.product.text[r];
  }
  table.addEventListener('mouseover', e => {
    table.querySelectorAll('.hl').forEach(el => el.classList.remove('hl'));
    const td = e.target.closest('td.cell');
    if (!td || td.dataset.col === undefined) return;
    td.parentElement.classList.add('hl');
    table.querySelectorAll(`td[data-col="${td.dataset.col}"]`).forEach(el => el.classList.add('hl'));
  });
  host.appendChild(table);
  const bar = colourBar(m.ct, sc);
  host.appendChild(bar);
}

// ---- overlap and gradient ----------------------------------------------------------------------------
function drawOverlap(o) {
  drawMap($('map-overlap'), o.counts, { barLabel: 'taps per output' });
  const s = state.data.setup;
  const phase = (p, axis) => p.length > 1 ? `${axis} by position mod ${p.length}: [${p.join(', ')}]` : `${axis}: every position gets ${p[0]}`;
  const parts = [o.phasesH ? phase(o.phasesH, 'rows') : null, phase(o.phasesW, s.rank === 1 ? 'positions' : 'columns')].filter(Boolean);
  $('overlap-phases').textContent = `Away from the borders, taps per output — ${parts.join('; ')}. ` +
    (o.even ? 'Even: a flat input stays flat (no checkerboard).' : 'Uneven: this is the checkerboard.') + ` Counts from ${o.min} to ${o.max}.`;
  $('check-overlap').textContent = `max |counts − ConvTranspose(ones, ones)| = ${o.check}`;
}

function drawGradient(g) {
  $('grad-call').textContent = g.call;
  const sc = scaleOf(g.inputGrad.values.concat(g.transposed.values));
  drawMap($('map-grad-g'), g.upstream);
  drawMap($('map-grad-z'), g.inputGrad, { scale: sc });
  drawMap($('map-grad-t'), g.transposed, { scale: sc });
  $('grad-note').textContent = g.note || '';
  $('check-gradient').textContent = `max |z.grad − ConvTranspose(g)| = ${g.check}`;
}

// ---- events ------------------------------------------------------------------------------------------
function scheduleLoad() {
  clearTimeout(state.timer);
  $('ctl-preset').value = '';
  state.timer = setTimeout(() => load(formToQuery(), 'form'), 250);
}

async function init() {
  const presets = await (await fetch('api/presets')).json();
  for (const p of presets) $('ctl-preset').appendChild(Object.assign(document.createElement('option'), { value: p.name, textContent: p.title }));
  $('controls').addEventListener('input', e => {
    if (e.target.id === 'ctl-preset') return;
    if (e.target.name === 'rank' && e.target.value === '2')
      for (const key of PAIRS) $(`ctl-${key}-h`).value = $(`ctl-${key}-w`).value; // start square
    applyModeClasses();
    scheduleLoad();
  });
  $('ctl-preset').addEventListener('change', e => {
    if (!e.target.value) return;
    state.step = 0; state.sel = { o: 0, r: 0, q: 0 };
    load(new URLSearchParams({ preset: e.target.value }), 'preset');
  });
  $('step-first').onclick = () => setStep(0);
  $('step-prev').onclick = () => setStep(state.step - 1);
  $('step-next').onclick = () => setStep(state.step + 1);
  $('step-last').onclick = () => setStep(1e9);
  $('step-play').onclick = togglePlay;
  $('copy-link').onclick = () => navigator.clipboard && navigator.clipboard.writeText(location.href);
  document.addEventListener('keydown', e => {
    if (e.target.closest('input, textarea, select') || !state.data || document.body.classList.contains('failed')) return;
    const moves = { w: [0, -1, 0], s: [0, 1, 0], a: [0, 0, -1], d: [0, 0, 1] };
    if (e.key === 'ArrowRight') setStep(state.step + 1);
    else if (e.key === 'ArrowLeft') setStep(state.step - 1);
    else if (e.key === 'Home') setStep(0);
    else if (e.key === 'End') setStep(1e9);
    else if (e.key === ' ') togglePlay();
    else if (moves[e.key.toLowerCase()]) { const [, dr, dq] = moves[e.key.toLowerCase()]; selectWindow(state.sel.o, state.sel.r + dr, state.sel.q + dq); }
    else return;
    e.preventDefault();
  });
  const q = new URLSearchParams(location.search);
  if (![...q.keys()].some(k => k !== 'step' && k !== 'sel')) q.set('preset', '000');
  const sent = new URLSearchParams(q);
  sent.delete('step'); sent.delete('sel');
  await load(sent, 'initial');
}

init();
