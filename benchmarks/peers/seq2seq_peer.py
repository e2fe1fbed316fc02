"""Peer side of `npm run bench -- seq2seq`: PyTorch on the CPU (Debian python3-torch), 2 threads.
The issue's architecture, built the way @aiffel/seq2seq-attn builds it: embedding 128, a 3-layer
LSTM encoder (hidden 256, dropout 0.2 between layers), a 1-layer LSTM decoder initialised from the
encoder's last-layer (h, c), Bahdanau (additive) attention of every decoder state over all encoder
states, [decoder state; context] -> dropout 0.2 -> linear -> softmax over the target vocabulary; source vocabulary
8,000, target 2,000, source length 80, target length 10, batch 256, Adam, cross-entropy ignoring
padding, teacher forcing. Also greedy decoding latency for one sequence. Prints one JSON line."""
import json
import sys
import time

import torch
import torch.nn as nn

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
torch.set_num_threads(2)
torch.manual_seed(0)
SV, TV, E, H, L, TS, TT, B = 8000, 2000, 128, 256, 3, 80, 10, 256


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_emb = nn.Embedding(SV, E)
        self.tgt_emb = nn.Embedding(TV, E)
        self.enc = nn.LSTM(E, H, num_layers=L, dropout=0.2, batch_first=True)
        self.dec = nn.LSTM(E, H, batch_first=True)
        self.wk = nn.Linear(H, H, bias=False)
        self.wq = nn.Linear(H, H)
        self.v = nn.Linear(H, 1, bias=False)
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(2 * H, TV)

    def encode(self, src):
        enc, (h, c) = self.enc(self.src_emb(src))
        return enc, self.wk(enc), (h[-1:].contiguous(), c[-1:].contiguous())

    def attend(self, dec, enc, keys):
        # dec [B, T, H], keys [B, S, H] -> scores [B, T, S]
        e = self.v(torch.tanh(keys.unsqueeze(1) + self.wq(dec).unsqueeze(2))).squeeze(-1)
        a = torch.softmax(e, dim=-1)
        return torch.bmm(a, enc)

    def forward(self, src, tgt_in):
        enc, keys, state = self.encode(src)
        dec, _ = self.dec(self.tgt_emb(tgt_in), state)
        ctx = self.attend(dec, enc, keys)
        return self.out(self.drop(torch.cat([dec, ctx], dim=-1)))


model = Seq2Seq()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
g = torch.Generator().manual_seed(1)
src = torch.randint(4, SV, (B, TS), generator=g)
tgt = torch.randint(4, TV, (B, TT + 1), generator=g)


def step():
    model.train()
    opt.zero_grad()
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, TV), tgt[:, 1:].reshape(-1), ignore_index=0)
    loss.backward()
    opt.step()


step()
runs = []
for _ in range(steps):
    t0 = time.perf_counter()
    step()
    runs.append(time.perf_counter() - t0)
runs.sort()
ms_batch = runs[len(runs) // 2] * 1000

model.eval()


@torch.no_grad()
def greedy(one):
    enc, keys, (h, c) = model.encode(one)
    tok = torch.full((1, 1), 2, dtype=torch.long)
    out = []
    for _ in range(TT):
        dec, (h, c) = model.dec(model.tgt_emb(tok), (h, c))
        ctx = model.attend(dec, enc, keys)
        tok = model.out(torch.cat([dec, ctx], dim=-1)).argmax(-1)
        out.append(int(tok))
    return out


greedy(src[:1])
lat = []
for i in range(20):
    t0 = time.perf_counter()
    greedy(src[i : i + 1])
    lat.append(time.perf_counter() - t0)
lat.sort()
print(json.dumps({
    "torch_version": torch.__version__,
    "torch_threads": torch.get_num_threads(),
    "ms_per_batch": ms_batch,
    "train_target_tokens_per_second": B * TT / (ms_batch / 1000),
    "greedy_ms_per_sequence": lat[len(lat) // 2] * 1000,
}))
