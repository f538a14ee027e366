#include <cstdint>
#include <vector>

#include "engine/cpu_kernels.h"
#include "engine/error.h"
#include "engine/half.h"
#include "engine/kv_cache.h"

namespace nqkv {

const char* kv_type_name(KvType t) { return t == KvType::F32 ? "f32" : "f16"; }

KvType parse_kv_type(const std::string& s, const std::string& what) {
    if (s == "f32" || s == "fp32") return KvType::F32;
    if (s == "f16" || s == "fp16") return KvType::F16;
    fail(what, ": unknown KV cache type \"", s, "\" (choices: f32, f16)");
}

namespace {

constexpr int kMaxHeadDim = 512;

template <class T>
class DenseKvCache final : public KvCache {
public:
    explicit DenseKvCache(const KvShape& s)
        : KvCache(s),
          k_(size_t(s.n_layer) * size_t(s.n_ctx) * size_t(s.row())),
          v_(k_.size()),
          kern_(cpu_kernels()) {}

    std::string type_name() const override { return sizeof(T) == 4 ? "f32" : "f16"; }

    void store(int layer, int pos, const float* k, const float* v) override {
        T* kd = at(k_, layer, pos);
        T* vd = at(v_, layer, pos);
        for (int i = 0; i < shape_.row(); ++i) {
            kd[i] = convert(k[i]);
            vd[i] = convert(v[i]);
        }
    }

    void key_dots(int layer, int head, const float* q, int n, float* scores) const override {
        const int hd = shape_.head_dim;
        const float* qq = q;
        float q16[kMaxHeadDim];
        if constexpr (sizeof(T) == 2) qq = round_to_f16(q, q16, hd);
        for (int p = 0; p < n; ++p) {
            const T* k = at(k_, layer, p) + head * hd;
            if constexpr (sizeof(T) == 4)
                scores[p] = kern_.dot_f32(k, qq, hd);
            else
                scores[p] = kern_.dot_f16(k, qq, hd);
        }
    }

    void value_sum(int layer, int head, const float* w, int n, float* out) const override {
        const int hd = shape_.head_dim;
        for (int p = 0; p < n; ++p) {
            const T* v = at(v_, layer, p) + head * hd;
            if constexpr (sizeof(T) == 4)
                kern_.axpy_f32(w[p], v, out, hd);
            else
                kern_.axpy_f16(fp16_to_fp32(fp32_to_fp16(w[p])), v, out, hd);
        }
    }

    size_t bytes_per_token() const override {
        return 2 * sizeof(T) * size_t(shape_.n_layer) * size_t(shape_.row());
    }

private:
    // An fp16 cache computes its dot products in fp16 precision: the query and the attention
    // weights are rounded to fp16 as llama.cpp's CPU path does, so logits agree with its f16 cache.
    static const float* round_to_f16(const float* q, float* buf, int n) {
        for (int i = 0; i < n; ++i) buf[i] = fp16_to_fp32(fp32_to_fp16(q[i]));
        return buf;
    }
    static T convert(float x) {
        if constexpr (sizeof(T) == 4)
            return x;
        else
            return fp32_to_fp16(x);
    }
    T* at(std::vector<T>& buf, int layer, int pos) {
        return buf.data() + (size_t(layer) * size_t(shape_.n_ctx) + size_t(pos)) * size_t(shape_.row());
    }
    const T* at(const std::vector<T>& buf, int layer, int pos) const {
        return buf.data() + (size_t(layer) * size_t(shape_.n_ctx) + size_t(pos)) * size_t(shape_.row());
    }

    std::vector<T> k_, v_;
    const CpuKernels& kern_;
};

}  // namespace

std::unique_ptr<KvCache> make_dense_kv_cache(KvType type, const KvShape& shape) {
    if (shape.head_dim > kMaxHeadDim)
        fail("head size ", shape.head_dim, " is larger than the supported ", kMaxHeadDim);
    if (type == KvType::F32) return std::make_unique<DenseKvCache<float>>(shape);
    return std::make_unique<DenseKvCache<uint16_t>>(shape);
}

}  // namespace nqkv
