#include "engine/kv_cache.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <numeric>

#include "engine/error.h"
#include "engine/half.h"

namespace nqkv {

int KvShape::max_row() const {
    int m = 0;
    for (int l = 0; l < n_layer; ++l) m = std::max(m, row(l));
    return m;
}

int KvShape::max_dim() const {
    int m = 0;
    for (int l = 0; l < n_layer; ++l) m = std::max(m, dim(l));
    return m;
}

int KvShape::common_row() const {
    int g = 0;
    for (int l = 0; l < n_layer; ++l) g = std::gcd(g, row(l));
    return g ? g : row(0);
}

size_t KvShape::values_per_token() const {
    size_t n = 0;
    for (int l = 0; l < n_layer; ++l) n += size_t(row(l));
    return n;
}

size_t KvShape::v_values_per_token() const {
    return values_in_keys ? 0 : values_per_token();
}

KvShape KvShape::value_side() const {
    KvShape s = *this;
    if (values_in_keys) {
        s.layer_dims.clear();
        for (int l = 0; l < n_layer; ++l) s.layer_dims.push_back(dim(l));
        s.layer_heads.assign(size_t(n_layer), 0);
    }
    return s;
}

KvCache::KvCache(const KvConfig& config, const KvShape& shape) : config_(config), shape_(shape) {
    if (shape.max_dim() > kMaxHeadDim)
        fail("head size ", shape.max_dim(), " is larger than the supported ", kMaxHeadDim);
    for (int l = 0; l < shape.n_layer; ++l)
        capture_first_.push_back(values_ += size_t(shape.row(l)));
    capture_first_.insert(capture_first_.begin(), 0);
    auto make = [&](const KvFormat& f, const KvShape& s) {
        return f.quantized() ? make_quant_side(f, s, config.block) : make_dense_side(f, s);
    };
    k_ = make(config.k, shape);
    v_ = make(config.v, shape.value_side());
    if (shape.ring > 0) slot_pos_.assign(size_t(shape.ring), -1);
}

void KvCache::store(int layer, int pos, const float* k_row, const float* v_row) {
    k_->store(layer, pos, k_row);
    if (!shape_.values_in_keys) v_->store(layer, pos, v_row);
    if (shape_.ringed(layer)) slot_pos_[size_t(pos % shape_.ring)] = pos;
    if (pos < capture_tokens_) {
        const size_t row = size_t(shape_.row(layer));
        std::memcpy(original(layer, pos, 0), k_row, row * sizeof(float));
        if (!shape_.values_in_keys)
            std::memcpy(original(layer, pos, 1), v_row, row * sizeof(float));
        captured_[size_t(layer) * size_t(capture_tokens_) + size_t(pos)] = true;
    }
}

int KvCache::before_wrap(int layer, int from, int n) const {
    // A ringed range runs to the ring's end and goes on from its start.
    const int cap = shape_.capacity(layer);
    return std::min(n, cap - from % cap);
}

void KvCache::key_dots(int layer, int head, const float* q, int from, int n, float* scores) const {
    const int m = before_wrap(layer, from, n);
    k_->dot(layer, head, q, from, m, scores);
    if (m < n) k_->dot(layer, head, q, from + m, n - m, scores + m);
}

void KvCache::value_sum(int layer, int head, const float* w, int from, int n, float* out) const {
    const int m = before_wrap(layer, from, n);
    const KvSide& side = shape_.values_in_keys ? *k_ : *v_;
    side.axpy(layer, head, w, from, m, out);
    if (m < n) side.axpy(layer, head, w + m, from + m, n - m, out);
}

namespace {
// Four pointers moved on by m.
template <class T>
std::array<T*, 4> advanced(T* const* p, int m) {
    return {p[0] + m, p[1] + m, p[2] + m, p[3] + m};
}
}  // namespace

void KvCache::key_dots4(int layer, int head, const float* const* q, int from, int n,
                        float* const* scores) const {
    const int m = before_wrap(layer, from, n);
    k_->dot4(layer, head, q, from, m, scores);
    if (m < n) k_->dot4(layer, head, q, from + m, n - m, advanced(scores, m).data());
}

void KvCache::value_sum4(int layer, int head, const float* const* w, int from, int n,
                         float* const* out) const {
    const int m = before_wrap(layer, from, n);
    v_->axpy4(layer, head, w, from, m, out);
    if (m < n) v_->axpy4(layer, head, advanced(w, m).data(), from + m, n - m, out);
}

bool KvCache::holds(int layer, int pos) const {
    return !shape_.ringed(layer) || slot_pos_[size_t(pos % shape_.ring)] == pos;
}

int KvCache::keepable(int n) const {
    if (shape_.ring == 0) return n;
    for (int p = std::max(0, n - shape_.window); p < n; ++p)
        if (slot_pos_[size_t(p % shape_.ring)] != p) return 0;
    return n;
}

size_t KvCache::bytes_per_token() const {
    size_t n = 0;
    for (int l = 0; l < shape_.n_layer; ++l)
        n += k_->bytes_per_token_layer(l) + v_->bytes_per_token_layer(l);
    return n;
}

KvStats KvCache::stats(int tokens_held, size_t budget_bytes) const {
    KvStats s;
    s.k_format = config_.k.name();
    s.v_format = config_.v.name();
    s.block = (config_.k.quantized() || config_.v.quantized()) ? block_size() : 0;
    s.n_layer = shape_.n_layer;
    s.values_per_token = shape_.values_per_token();
    s.v_values_per_token = shape_.v_values_per_token();
    s.max_row = shape_.max_row();
    s.common_row = shape_.common_row();
    s.tokens_held = tokens_held;
    s.tokens_allocated = shape_.n_ctx;
    s.bytes_per_token = bytes_per_token();
    s.fp16_bytes_per_token = size_t(2) * (s.values_per_token + s.v_values_per_token);
    s.ring = shape_.ring;
    size_t open_bytes = 0, ringed_bytes = 0;
    for (int l = 0; l < shape_.n_layer; ++l) {
        const size_t kb = k_->bytes_per_token_layer(l), vb = v_->bytes_per_token_layer(l);
        s.layer_k_bytes.push_back(kb);
        s.layer_v_bytes.push_back(vb);
        s.k_bytes_per_token += kb;
        s.v_bytes_per_token += vb;
        const int held = std::min(tokens_held, shape_.capacity(l));
        s.layer_tokens.push_back(held);
        s.bytes_used += size_t(held) * (kb + vb);
        s.bytes_allocated += size_t(shape_.capacity(l)) * (kb + vb);
        s.fp16_equivalent_bytes += size_t(held) * 2 * size_t(shape_.row(l) + shape_.v_row(l));
        s.ringed_layers += shape_.ringed(l);
        (shape_.ringed(l) ? ringed_bytes : open_bytes) += kb + vb;
    }
    s.budget_bytes = budget_bytes;
    s.capacity_in_budget =
        budget_bytes
            ? kv_tokens_in_budget(budget_bytes, open_bytes, ringed_bytes, shape_.ring, shape_.n_ctx)
            : 0;
    return s;
}

void KvCache::set_capture(bool on, size_t cap_bytes) {
    // Under values_in_keys only the keys are kept: the values are their first part.
    const size_t sides = shape_.values_in_keys ? 1 : 2;
    const size_t per_token = sides * values_ * sizeof(float);
    capture_tokens_ = on ? int(std::min<size_t>(size_t(shape_.n_ctx), cap_bytes / per_token)) : 0;
    originals_.assign(size_t(capture_tokens_) * sides * values_, 0.f);
    captured_.assign(size_t(shape_.n_layer) * size_t(capture_tokens_), false);
}

const float* KvCache::original_row(int layer, int pos, KvKind kind) const {
    if (pos < 0 || pos >= capture_tokens_ ||
        !captured_[size_t(layer) * size_t(capture_tokens_) + size_t(pos)] ||
        (kind == KvKind::V && shape_.values_in_keys))
        return nullptr;
    return const_cast<KvCache*>(this)->original(layer, pos, kind == KvKind::K ? 0 : 1);
}

float* KvCache::original(int layer, int pos, int kind) {
    // [kind][layer][pos < capture_tokens_][row(layer)]
    return originals_.data() + size_t(kind) * size_t(capture_tokens_) * values_ +
           size_t(capture_tokens_) * capture_first_[size_t(layer)] +
           size_t(pos) * size_t(shape_.row(layer));
}

BlockView KvCache::block(int layer, int pos, KvKind kind, int block) const {
    if (layer < 0 || layer >= shape_.n_layer)
        fail("KV block: layer ", layer, " is outside 0..", shape_.n_layer - 1);
    if (pos < 0 || pos >= shape_.n_ctx)
        fail("KV block: token ", pos, " is outside 0..", shape_.n_ctx - 1);
    if (!holds(layer, pos))
        fail("KV block: layer ", layer, " keeps only the latest ", shape_.ring,
             " positions (it attends to at most ", shape_.window, "); token ", pos,
             " is no longer held there");
    if (block < 0 || block >= blocks_per_row(layer))
        fail("KV block: block ", block, " is outside 0..", blocks_per_row(layer) - 1, " (layer ",
             layer, ")");
    if (kind == KvKind::V && shape_.values_in_keys)
        fail("KV block: this model's values are the first ", shape_.values_in_keys,
             " values of its keys (multi-head latent attention); open the K blocks instead");
    const KvSide& sd = side(kind);
    BlockView v;
    v.layer = layer;
    v.pos = pos;
    v.block = block;
    v.kind = kind;
    v.format = sd.format().name();
    v.size = block_size();
    v.first = block * v.size;
    v.dequantized.resize(size_t(v.size));
    sd.read(layer, pos, v.first, v.size, v.dequantized.data());
    std::vector<uint8_t> codes(static_cast<size_t>(v.size));
    uint16_t scale = 0;
    if (sd.block_codes(layer, pos, block, codes.data(), &scale)) {
        v.codes.assign(codes.begin(), codes.end());
        v.scale = fp16_to_fp32(scale);
        const auto& lv = Codebook::get(sd.format().family, sd.format().bits, sd.block()).levels();
        v.levels.assign(lv.begin(), lv.end());
    }
    if (const float* orig = original_row(layer, pos, kind)) {
        v.has_original = true;
        v.original.assign(orig + v.first, orig + v.first + v.size);
        for (int i = 0; i < v.size; ++i) {
            const double e = double(v.original[size_t(i)]) - v.dequantized[size_t(i)];
            v.mse += e * e;
            v.max_error = std::max(v.max_error, std::abs(e));
        }
        v.mse /= v.size;
    }
    return v;
}

}  // namespace nqkv
