import numpy as np, torch, torch.nn as nn, time, sys
torch.manual_seed(0); np.random.seed(0); torch.set_num_threads(1)
N=4096; S=32; SS=4
def draw(label, rng):
    r=rng.uniform(8,12.5); w=rng.uniform(2.5,4.5); m=r+w/2+1
    lo=max(m,16-4); hi=min(32-m,16+4); hi=max(lo,hi)
    cx=rng.uniform(lo,hi); cy=rng.uniform(lo,hi); a=rng.uniform(0,2*np.pi)
    t=(np.arange(S*SS)+0.5)/SS; X,Y=np.meshgrid(t,t)
    if label==0: ins=np.abs(np.hypot(X-cx,Y-cy)-r)<=w/2
    elif label in (1,2):
        k=4 if label==1 else 3
        pts=[(cx+r*np.cos(a+2*np.pi*j/k), cy+r*np.sin(a+2*np.pi*j/k)) for j in range(k)]
        best=np.full(X.shape,1e9)
        for j in range(k):
            ax,ay=pts[j]; bx,by=pts[(j+1)%k]; dx,dy=bx-ax,by-ay
            tt=np.clip(((X-ax)*dx+(Y-ay)*dy)/(dx*dx+dy*dy),0,1)
            best=np.minimum(best,(ax+tt*dx-X)**2+(ay+tt*dy-Y)**2)
        ins=best<=w*w/4
    else:
        c,s=np.cos(a),np.sin(a); u=c*(X-cx)+s*(Y-cy); v=-s*(X-cx)+c*(Y-cy)
        ins=((np.abs(u)<=r)&(np.abs(v)<=w/2))|((np.abs(v)<=r)&(np.abs(u)<=w/2))
    return ins.reshape(S,SS,S,SS).mean(axis=(1,3))
rng=np.random.default_rng(0)
data=np.stack([draw(i%4,rng) for i in range(N)]).astype(np.float32)*2-1
data=torch.from_numpy(data)[:,None]
nz,ngf,ndf=64,32,int(sys.argv[1]) if len(sys.argv)>1 else 16
G=nn.Sequential(nn.ConvTranspose2d(nz,4*ngf,4,1,0,bias=False),nn.BatchNorm2d(4*ngf),nn.ReLU(True),
 nn.ConvTranspose2d(4*ngf,2*ngf,4,2,1,bias=False),nn.BatchNorm2d(2*ngf),nn.ReLU(True),
 nn.ConvTranspose2d(2*ngf,ngf,4,2,1,bias=False),nn.BatchNorm2d(ngf),nn.ReLU(True),
 nn.ConvTranspose2d(ngf,1,4,2,1,bias=False),nn.Tanh())
D=nn.Sequential(nn.Conv2d(1,ndf,4,2,1,bias=False),nn.LeakyReLU(0.2,True),
 nn.Conv2d(ndf,2*ndf,4,2,1,bias=False),nn.BatchNorm2d(2*ndf),nn.LeakyReLU(0.2,True),
 nn.Conv2d(2*ndf,4*ndf,4,2,1,bias=False),nn.BatchNorm2d(4*ndf),nn.LeakyReLU(0.2,True),
 nn.Conv2d(4*ndf,1,4,1,0,bias=False))
def wi(m):
    if isinstance(m,(nn.Conv2d,nn.ConvTranspose2d)): nn.init.normal_(m.weight,0,0.02)
    elif isinstance(m,nn.BatchNorm2d): nn.init.normal_(m.weight,1,0.02); nn.init.zeros_(m.bias)
G.apply(wi); D.apply(wi)
crit=nn.BCEWithLogitsLoss()
oD=torch.optim.Adam(D.parameters(),2e-4,betas=(0.5,0.999)); oG=torch.optim.Adam(G.parameters(),2e-4,betas=(0.5,0.999))
fixed=torch.randn(64,nz,1,1); B=64; t0=time.time()
for ep in range(20):
    perm=torch.randperm(N)
    for s in range(N//B):
        real=data[perm[s*B:(s+1)*B]]
        D.zero_grad(); o=D(real).view(-1); eR=crit(o,torch.ones_like(o)); eR.backward()
        fake=G(torch.randn(B,nz,1,1)); o2=D(fake.detach()).view(-1); eF=crit(o2,torch.zeros_like(o2)); eF.backward(); oD.step()
        G.zero_grad(); o3=D(fake).view(-1); eG=crit(o3,torch.ones_like(o3)); eG.backward(); oG.step()
    print(ep, float(eR+eF), float(eG), torch.sigmoid(o).mean().item(), torch.sigmoid(o2).mean().item(), time.time()-t0, flush=True)
G.eval()
with torch.no_grad(): img=G(fixed)
import numpy as np
g=((img[:,0].numpy()+1)/2).clip(0,1); grid=np.zeros((8*34,8*34))
for i in range(64): grid[(i//8)*34+1:(i//8)*34+33,(i%8)*34+1:(i%8)*34+33]=g[i]
from PIL import Image
Image.fromarray((grid*255).astype(np.uint8)).save('/tmp/dct/py/ref_ndf%d.png'%ndf)
r=((data[:64,0].numpy()+1)/2); grid=np.zeros((8*34,8*34))
for i in range(64): grid[(i//8)*34+1:(i//8)*34+33,(i%8)*34+1:(i%8)*34+33]=r[i]
Image.fromarray((grid*255).astype(np.uint8)).save('/tmp/dct/py/real.png')
