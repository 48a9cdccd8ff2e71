#!/usr/bin/python3
"""Reference for train-gan's iterations: the paper's GAN loop (gan.py of Chatterjee et al. 2025)
written in PyTorch from the paper's code, with the same opt-in stabilisers as
steps/lib/models/gan-trainer.ts (Adam beta1, discriminator rate, real label, reuse of the
generator step's images instead of recomputing them, a per-iteration factor on both rates) and
the discriminator's optional minibatch standard-deviation channel (Karras et al. 2018, section 3:
the standard deviation of every feature over the batch, averaged, appended as a constant map).

The networks take the weights of the tfjs models (NHWC) and compute the same function: dense
layers next to a reshape/flatten work in NHWC order (permute around them), conv kernels are
permuted to PyTorch's layout (conv2d [kh,kw,in,out] -> [out,in,kh,kw]; conv2dTranspose
[kh,kw,out,in] -> [in,out,kh,kw]).

Usage: gan_iteration.py DIR  (reads DIR/in.json, prints a JSON list of [g_loss, d_loss]).
"""
import json, sys
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
cfg = json.load(open(sys.argv[1] + '/in.json'))
size = cfg['size']
s0 = (size - 8) // 8
W = {k: torch.tensor(np.array(v['data'], dtype=np.float32).reshape(v['shape'])) for k, v in cfg['weights'].items()}


def param(name, perm=None):
    t = W[name]
    if perm is not None:
        t = t.permute(*perm)
    return t.clone().contiguous().requires_grad_(True)


g = {
    'fc_w': param('g/fc/kernel'), 'fc_b': param('g/fc/bias'),
    'd1_w': param('g/d1/kernel', (3, 2, 0, 1)), 'd1_b': param('g/d1/bias'),
    'd2_w': param('g/d2/kernel', (3, 2, 0, 1)), 'd2_b': param('g/d2/bias'),
    'd3_w': param('g/d3/kernel', (3, 2, 0, 1)), 'd3_b': param('g/d3/bias'),
}
d = {
    'c1_w': param('d/c1/kernel', (3, 2, 0, 1)), 'c1_b': param('d/c1/bias'),
    'c2_w': param('d/c2/kernel', (3, 2, 0, 1)), 'c2_b': param('d/c2/bias'),
    'c3_w': param('d/c3/kernel', (3, 2, 0, 1)), 'c3_b': param('d/c3/bias'),
    'fc_w': param('d/fc/kernel'), 'fc_b': param('d/fc/bias'),
    'out_w': param('d/out/kernel'), 'out_b': param('d/out/bias'),
}


def G(z):
    x = F.leaky_relu(z @ g['fc_w'] + g['fc_b'], 0.2).view(-1, s0, s0, 64).permute(0, 3, 1, 2)
    x = F.leaky_relu(F.conv_transpose2d(x, g['d1_w'], g['d1_b'], stride=2), 0.2)
    x = F.leaky_relu(F.conv_transpose2d(x, g['d2_w'], g['d2_b'], stride=2), 0.2)
    x = F.pad(x, (0, 1, 0, 1))
    x = torch.tanh(F.conv_transpose2d(x, g['d3_w'], g['d3_b'], stride=2))
    return x[:, :, :size, :size]


def minibatch_std(x):
    # Biased variance over the batch, + 1e-8 under the root, averaged over C, H, W.
    s = torch.sqrt(x.var(dim=0, unbiased=False) + 1e-8).mean()
    return torch.cat([x, s.expand(x.shape[0], 1, x.shape[2], x.shape[3])], dim=1)


def D(x):
    x = F.leaky_relu(F.conv2d(x, d['c1_w'], d['c1_b'], stride=2), 0.2)
    x = F.leaky_relu(F.conv2d(x, d['c2_w'], d['c2_b'], stride=2), 0.2)
    x = F.leaky_relu(F.conv2d(x, d['c3_w'], d['c3_b'], stride=2), 0.2)
    if cfg['options'].get('minibatchStd', False):
        x = minibatch_std(x)  # NCHW: the new map is the last channel, as in NHWC
    x = x.permute(0, 2, 3, 1).flatten(1)
    x = F.leaky_relu(x @ d['fc_w'] + d['fc_b'], 0.2)
    return torch.sigmoid(x @ d['out_w'] + d['out_b'])


o = cfg['options']
lr = o.get('learningRate', 5e-4)
beta1 = o.get('beta1', 0.9)
opt_g = torch.optim.Adam(g.values(), lr=lr, betas=(beta1, 0.999), eps=1e-8)
lr_d = o.get('discriminatorLearningRate', lr)
opt_d = torch.optim.Adam(d.values(), lr=lr_d, betas=(beta1, 0.999), eps=1e-8)
scales = cfg.get('learningRateScales') or [1.0] * len(cfg['z'])
real_label = o.get('realLabel', 1.0)
regenerate = o.get('regenerateFakes', True)
real = torch.tensor(np.array(cfg['real'], dtype=np.float32)).view(-1, size, size, 1).permute(0, 3, 1, 2)
out = []
for zl, scale in zip(cfg['z'], scales):
    z = torch.tensor(np.array(zl, dtype=np.float32)).view(-1, 100)
    opt_g.param_groups[0]['lr'] = lr * scale
    opt_d.param_groups[0]['lr'] = lr_d * scale
    b = z.shape[0]
    opt_g.zero_grad()
    fake = G(z)
    g_loss = F.binary_cross_entropy(D(fake), torch.ones(b, 1))
    g_loss.backward()
    opt_g.step()
    opt_d.zero_grad()
    # gan.py: self.discriminator(self(z).detach()) -- G(z) from the generator just updated.
    fake_d = G(z).detach() if regenerate else fake.detach()
    d_loss = 0.5 * (F.binary_cross_entropy(D(real), torch.full((b, 1), real_label))
                    + F.binary_cross_entropy(D(fake_d), torch.zeros(b, 1)))
    d_loss.backward()
    opt_d.step()
    out.append([g_loss.item(), d_loss.item()])
print(json.dumps(out))
