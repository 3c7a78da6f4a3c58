using ConvTransposeExplorer;
using MiniTorch.Teaching;
using OpenQA.Selenium;

namespace MiniTorch.Explorer.Tests;

/// <summary>
/// The page in a real (headless) Chromium: presets, typed parameters, keyboard stepping, clicks and
/// deep links, with the numbers in the DOM checked against MiniTorch called here directly and against
/// PyTorch's goldens. Each test saves a screenshot (see <see cref="Browser.ScreenshotFolder"/>).
/// </summary>
[Collection("explorer")]
public class ExplorerBrowserTests(ExplorerFixture server)
{
    private readonly Browser _page = server.Browser;

    /// <summary>The element strings MiniTorch prints for <paramref name="t"/> (its first sample), as the page shows them.</summary>
    private static string[] Printed(Tensor t) => TensorView.Of(t[0]).Text;

    [Fact]
    public void Preset000_ShowsTheSeedNotebooksResult()
    {
        _page.Open("?preset=000");
        Assert.Equal(Goldens.Elements(Goldens.Output("000")), _page.Cells("map-output"));
        Assert.StartsWith("0.1000 0.4000 1.0000 1.6000 1.7000 1.2000", string.Join(" ", _page.Cells("map-output")));
        Assert.Contains("nn.ConvTranspose2d(1, 3, kernel_size=(4, 4)", _page.Text("call"));
        Assert.Equal("000", _page.Driver.FindElement(By.Id("ctl-preset")).GetDomProperty("value"));
        Assert.Contains("(2 − 1)·1 − 2·0 + 1·(4 − 1) + 0 + 1 = 5", _page.Text("formula"));
        Assert.Contains("tensor(", _page.Text("check-scatter"));
        _page.Screenshot("preset-000");
    }

    [Fact]
    public void TypingAStride_RecomputesEveryView()
    {
        _page.Open("?preset=001-k3p0");
        _page.Type("ctl-s-h", "2");
        _page.Type("ctl-s-w", "2");
        var expected = F.ConvTranspose2d(Torch.Ones(1, 1, 4, 4), Torch.Ones(1, 1, 3, 3), stride: 2);
        Assert.Equal(Printed(expected), _page.Cells("map-output"));
        Assert.Equal(Printed(expected), _page.Cells("map-zero-output"));
        Assert.Equal(Printed(expected), _page.Cells("map-grad-t"));
        Assert.Equal(Printed(expected), _page.Cells("map-grad-z"));
        Assert.Contains("s=2%2C2", _page.Driver.Url);
        Assert.Equal("", _page.Driver.FindElement(By.Id("ctl-preset")).GetDomProperty("value"));
        Assert.Contains("rows by position mod 2: [2, 1]", _page.Text("overlap-phases"));
        _page.Screenshot("typed-stride-2");
    }

    [Fact]
    public void InvalidOutputPadding_ShowsPyTorchsMessageInline()
    {
        _page.Open("?preset=001-k3p0");
        _page.Type("ctl-op-h", "2");
        _page.Type("ctl-op-w", "2");
        Assert.True(_page.Driver.FindElement(By.Id("error")).Displayed);
        Assert.Equal(Goldens.Error("s=1&op=2"), _page.Text("error-message"));
        Assert.Contains("PyTorch", _page.Text("error-source"));
        _page.Screenshot("error-output-padding");
        // Mending the value brings the views back.
        _page.Type("ctl-op-h", "0");
        _page.Type("ctl-op-w", "0");
        Assert.False(_page.Driver.FindElement(By.Id("error")).Displayed);
        Assert.Equal(Goldens.Elements(Goldens.Output("001-k3p0")), _page.Cells("map-output"));
    }

    [Fact]
    public void ArrowKeys_StepThroughTheScatter()
    {
        _page.Open("?preset=000");
        var body = _page.Driver.FindElement(By.TagName("body"));
        body.SendKeys(Keys.ArrowRight);
        body.SendKeys(Keys.ArrowRight);
        Assert.Equal("copy 3 of 6", _page.Text("step-label"));
        // The canvas after three copies: the library's own copies, summed.
        var r = TransposedConv.Scatter(Torch.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 1, 1, 2, 3), Torch.Linspace(0.1, 4.8, 48).View(1, 3, 4, 4));
        var sum = r.Copies[0].Canvas + r.Copies[1].Canvas + r.Copies[2].Canvas;
        Assert.Equal(TensorView.Of(sum).Text, _page.Cells("map-canvas"));
        Assert.StartsWith("x[0, 0, 2] = 3. scales weight[0]", _page.Text("step-caption"));
        Assert.Contains("step=2", _page.Driver.Url);
        _page.Screenshot("scatter-step-3");
        body.SendKeys(Keys.End);
        Assert.Equal("copy 6 of 6", _page.Text("step-label"));
    }

    [Fact]
    public void ClickingAnOutputCell_MovesTheSlidingWindow()
    {
        _page.Open("?preset=000");
        var cell = _page.Driver.FindElements(By.CssSelector("#map-zero-output td.cell"))[2 * 6 + 2]; // channel 0, row 2, column 2
        cell.Click();
        string sum = _page.Text("window-sum");
        Assert.StartsWith("y[0, 2, 2] = ", sum);
        Assert.EndsWith("= 14.6000", sum);
        Assert.Equal(16, _page.Driver.FindElements(By.CssSelector("#map-padded td.cell.window")).Count);
        Assert.Contains("sel=0%2C2%2C2", _page.Driver.Url);
        _page.Screenshot("zero-insertion-window");
    }

    [Fact]
    public void KerasPreset_ShowsTheSeedNumbersAndTheKerasKernel()
    {
        _page.Open("?preset=002-valid-s2");
        Assert.Equal(["55.", "110.", "107.", "104.", "52.", "110.", "55.", "214.", "52.", "104."], _page.Cells("map-output").Take(10));
        Assert.True(_page.Driver.FindElement(By.Id("fig-keras")).Displayed);
        Assert.Equal(["1.", "2.", "1.", "2.", "1.", "2.", "1.", "1.", "2."], _page.Cells("map-keras"));
        Assert.True(_page.Driver.FindElement(By.Id("ctl-kp")).Displayed);
        Assert.False(_page.Driver.FindElement(By.Id("ctl-p-h")).Displayed);
        _page.Screenshot("keras-valid-stride-2");
    }

    [Fact]
    public void DeepLink_ReopensTheSameState()
    {
        _page.Open("?preset=d2l-s3");
        _page.Type("ctl-d-w", "2");
        string link = _page.Driver.Url;
        var cells = _page.Cells("map-output");
        var expected = F.ConvTranspose2d(Torch.FromArray(new float[] { 0, 1, 2, 3 }, 1, 1, 2, 2), Torch.FromArray(new float[] { 0, 1, 2, 3 }, 1, 1, 2, 2),
                                         stride: 3, dilation: (1, 2));
        Assert.Equal(Printed(expected), cells);
        _page.Driver.Navigate().GoToUrl("about:blank");
        _page.Driver.Navigate().GoToUrl(link);
        _page.WaitForRender(0);
        Assert.Equal(cells, _page.Cells("map-output"));
        Assert.Equal("2", _page.Driver.FindElement(By.Id("ctl-d-w")).GetDomProperty("value"));
    }

    [Fact]
    public void OneDimensionalPreset_DrawsTheStackedCopies()
    {
        _page.Open("?preset=1d-k3s2");
        Assert.Equal(Goldens.Elements(Goldens.Output("1d-k3s2")), _page.Cells("map-output"));
        Assert.Equal(6, _page.Driver.FindElements(By.CssSelector("#stack-1d tr")).Count - 2); // header, six copies, sum
        Assert.False(_page.Driver.FindElement(By.Id("ctl-in-h")).Displayed);
        Assert.Contains("positions by position mod 2: [2, 1]", _page.Text("overlap-phases"));
        _page.Screenshot("one-d-checkerboard");
    }

    [Fact]
    public void RefusedLink_ShowsTheReasonAndKeepsWhatWasAsked()
    {
        _page.Open("?in=2,3&k=4&s=9,1&x=arange&w=ones");
        Assert.True(_page.Driver.FindElement(By.Id("error")).Displayed);
        Assert.Equal("stride = 9: the explorer draws stride up to 8", _page.Text("error-message"));
        Assert.Contains("explorer", _page.Text("error-source"));
        Assert.Equal("9", _page.Driver.FindElement(By.Id("ctl-s-h")).GetDomProperty("value"));
        Assert.Equal("4", _page.Driver.FindElement(By.Id("ctl-k-w")).GetDomProperty("value"));
        // Mending the field recomputes.
        _page.Type("ctl-s-h", "2");
        Assert.False(_page.Driver.FindElement(By.Id("error")).Displayed);
        var expected = F.ConvTranspose2d(Torch.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 1, 1, 2, 3), Torch.Ones(1, 1, 4, 4), stride: (2, 1));
        Assert.Equal(Printed(expected), _page.Cells("map-output"));
    }
}
