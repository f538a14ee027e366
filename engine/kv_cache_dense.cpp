#include <cstdint>
#include <vector>

#include "engine/cpu_kernels.h"
#include "engine/error.h"
#include "engine/half.h"
#include "engine/kv_cache.h"

namespace nqkv {

const char* kv_type_name(KvType t) {
    return t == KvType::F32 ? "f32" : "f16";
}

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
        const T* k = at(k_, layer, 0) + head * hd;
        if constexpr (sizeof(T) == 4)
            kern_.rows_dot_f32(k, shape_.row(), n, q, hd, scores);
        else
            kern_.rows_dot_f16(k, shape_.row(), n, q, hd, scores);
    }

    void value_sum(int layer, int head, const float* w, int n, float* out) const override {
        const int hd = shape_.head_dim;
        const T* v = at(v_, layer, 0) + head * hd;
        if constexpr (sizeof(T) == 4)
            kern_.rows_axpy_f32(v, shape_.row(), n, w, hd, out);
        else
            kern_.rows_axpy_f16(v, shape_.row(), n, w, hd, out);
    }

    size_t bytes_per_token() const override {
        return 2 * sizeof(T) * size_t(shape_.n_layer) * size_t(shape_.row());
    }

  private:
    static T convert(float x) {
        if constexpr (sizeof(T) == 4)
            return x;
        else
            return fp32_to_fp16(x);
    }
    T* at(std::vector<T>& buf, int layer, int pos) {
        return buf.data() +
               (size_t(layer) * size_t(shape_.n_ctx) + size_t(pos)) * size_t(shape_.row());
    }
    const T* at(const std::vector<T>& buf, int layer, int pos) const {
        return buf.data() +
               (size_t(layer) * size_t(shape_.n_ctx) + size_t(pos)) * size_t(shape_.row());
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
