"""The llama architecture as the engine runs it: RMSNorm, RoPE on adjacent pairs (GGUF's
"normal" mode), grouped-query attention, SwiGLU, tied output. Written so the exported
weights need no permutation."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, vocab, dim=256, layers=4, heads=8, kv_heads=4, ff=640, ctx=512,
                 rope_base=10000.0, eps=1e-5):
        self.vocab, self.dim, self.layers, self.heads = vocab, dim, layers, heads
        self.kv_heads, self.ff, self.ctx, self.rope_base, self.eps = kv_heads, ff, ctx, rope_base, eps
        self.head_dim = dim // heads

    def as_dict(self):
        return dict(self.__dict__)


class RMSNorm(nn.Module):
    def __init__(self, n, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(n))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(cfg, n, dtype=torch.float32, device=None):
    i = torch.arange(cfg.head_dim // 2, dtype=torch.float64, device=device)
    inv = cfg.rope_base ** (-2.0 * i / cfg.head_dim)
    ang = torch.arange(n, dtype=torch.float64, device=device)[:, None] * inv[None, :]
    return torch.cos(ang).to(dtype), torch.sin(ang).to(dtype)


def apply_rope(x, cos, sin):
    # x: (B, H, T, D); pairs (2i, 2i+1) rotate together.
    a, b = x[..., 0::2], x[..., 1::2]
    out = torch.stack([a * cos - b * sin, a * sin + b * cos], dim=-1)
    return out.flatten(-2)


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, hd = cfg.dim, cfg.head_dim
        self.cfg = cfg
        self.attn_norm = RMSNorm(d, cfg.eps)
        self.wq = nn.Linear(d, cfg.heads * hd, bias=False)
        self.wk = nn.Linear(d, cfg.kv_heads * hd, bias=False)
        self.wv = nn.Linear(d, cfg.kv_heads * hd, bias=False)
        self.wo = nn.Linear(cfg.heads * hd, d, bias=False)
        self.ffn_norm = RMSNorm(d, cfg.eps)
        self.w_gate = nn.Linear(d, cfg.ff, bias=False)
        self.w_up = nn.Linear(d, cfg.ff, bias=False)
        self.w_down = nn.Linear(cfg.ff, d, bias=False)

    def forward(self, x, cos, sin, mask):
        cfg = self.cfg
        B, T, _ = x.shape
        h = self.attn_norm(x)
        q = self.wq(h).view(B, T, cfg.heads, cfg.head_dim).transpose(1, 2)
        k = self.wk(h).view(B, T, cfg.kv_heads, cfg.head_dim).transpose(1, 2)
        v = self.wv(h).view(B, T, cfg.kv_heads, cfg.head_dim).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        group = cfg.heads // cfg.kv_heads
        k = k.repeat_interleave(group, dim=1)
        v = v.repeat_interleave(group, dim=1)
        if mask is None:  # PyTorch 2's fused causal attention (GPU training)
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            o = (q @ k.transpose(-1, -2)) / math.sqrt(cfg.head_dim) + mask
            o = o.softmax(-1) @ v
        o = o.transpose(1, 2).reshape(B, T, -1)
        x = x + self.wo(o)
        h = self.ffn_norm(x)
        return x + self.w_down(F.silu(self.w_gate(h)) * self.w_up(h))


class Llama(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab, cfg.dim)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.layers))
        self.norm = RMSNorm(cfg.dim, cfg.eps)
        nn.init.normal_(self.embed.weight, std=0.02)
        for b in self.blocks:
            for lin in (b.wq, b.wk, b.wv, b.w_gate, b.w_up):
                nn.init.normal_(lin.weight, std=0.02)
            for lin in (b.wo, b.w_down):
                nn.init.normal_(lin.weight, std=0.02 / math.sqrt(2 * cfg.layers))

    def freeze_bottom(self, n):
        """Keeps the embedding and the first n blocks as they are: they run without
        gradients, which also saves their backward pass."""
        self.frozen = n
        self.register_buffer("bottom_norm", self.norm.weight.detach().clone())
        self.embed.weight.requires_grad_(False)
        for b in self.blocks[:n]:
            for p in b.parameters():
                p.requires_grad_(False)

    def forward(self, ids, with_bottom=False):
        """Logits; with_bottom: also the frozen bottom's own logits (what the model it was
        taken from predicts at each position)."""
        T = ids.shape[1]
        w = self.embed.weight
        cos, sin = rope_tables(self.cfg, T, dtype=w.dtype, device=w.device)
        mask = None
        if w.device.type == "cpu" or not hasattr(F, "scaled_dot_product_attention"):
            mask = torch.full((T, T), float("-inf"), dtype=w.dtype, device=w.device).triu(1)
        frozen = getattr(self, "frozen", 0)
        with torch.set_grad_enabled(torch.is_grad_enabled() and frozen == 0):
            x = self.embed(ids)
            for b in self.blocks[:frozen]:
                x = b(x, cos, sin, mask)
            if with_bottom:
                h = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.cfg.eps)
                bottom = (h * self.bottom_norm) @ self.embed.weight.t()
        for b in self.blocks[frozen:]:
            x = b(x, cos, sin, mask)
        out = self.norm(x) @ self.embed.weight.t()  # tied output
        return (out, bottom) if with_bottom else out

    def export(self, writer, f16=True):
        """Adds the weights under llama.cpp's tensor names."""
        g = lambda t: t.detach().cpu().float().numpy()
        writer.add_tensor("token_embd.weight", g(self.embed.weight), f16)
        for i, b in enumerate(self.blocks):
            p = f"blk.{i}."
            writer.add_tensor(p + "attn_norm.weight", g(b.attn_norm.weight))
            writer.add_tensor(p + "attn_q.weight", g(b.wq.weight), f16)
            writer.add_tensor(p + "attn_k.weight", g(b.wk.weight), f16)
            writer.add_tensor(p + "attn_v.weight", g(b.wv.weight), f16)
            writer.add_tensor(p + "attn_output.weight", g(b.wo.weight), f16)
            writer.add_tensor(p + "ffn_norm.weight", g(b.ffn_norm.weight))
            writer.add_tensor(p + "ffn_gate.weight", g(b.w_gate.weight), f16)
            writer.add_tensor(p + "ffn_up.weight", g(b.w_up.weight), f16)
            writer.add_tensor(p + "ffn_down.weight", g(b.w_down.weight), f16)
        writer.add_tensor("output_norm.weight", g(self.norm.weight))

    def load_exported(self, t):
        """Loads weights read back from an exported GGUF (gguf_reader.read_tensors). A model
        with more blocks than the file keeps its extra (top) blocks as they are."""
        f = lambda name: torch.from_numpy(t[name].copy())
        with torch.no_grad():
            self.embed.weight.copy_(f("token_embd.weight"))
            for i, b in enumerate(self.blocks):
                if f"blk.{i}.attn_norm.weight" not in t:
                    break
                p = f"blk.{i}."
                b.attn_norm.weight.copy_(f(p + "attn_norm.weight"))
                b.wq.weight.copy_(f(p + "attn_q.weight"))
                b.wk.weight.copy_(f(p + "attn_k.weight"))
                b.wv.weight.copy_(f(p + "attn_v.weight"))
                b.wo.weight.copy_(f(p + "attn_output.weight"))
                b.ffn_norm.weight.copy_(f(p + "ffn_norm.weight"))
                b.w_gate.weight.copy_(f(p + "ffn_gate.weight"))
                b.w_up.weight.copy_(f(p + "ffn_up.weight"))
                b.w_down.weight.copy_(f(p + "ffn_down.weight"))
            self.norm.weight.copy_(f("output_norm.weight"))

    def round_to_f16(self):
        """Rounds the matrices as the export does, so golden logits match the file."""
        with torch.no_grad():
            for name, p in self.named_parameters():
                if p.dim() == 2:
                    p.copy_(p.half().float())
