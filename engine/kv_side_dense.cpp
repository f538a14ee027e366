// fp32 and fp16 sides. The fp16 side rounds the query to fp16 (see cpu_kernels.h), as
// llama.cpp does for its f16 cache.
#include <cstring>
#include <vector>

#include "engine/cpu_kernels.h"
#include "engine/half.h"
#include "engine/kv_side.h"

namespace nqkv {
namespace {

template <class T>
class DenseSide final : public KvSide {
  public:
    DenseSide(const KvFormat& f, const KvShape& s)
        : KvSide(f, s, 64),
          first_(layer_offsets([&](int l) { return s.row(l); })),
          data_(first_.back()),
          kern_(cpu_kernels()) {}

    void store(int layer, int pos, const float* row) override {
        T* d = at(layer, pos);
        for (int i = 0; i < shape_.row(layer); ++i) {
            if constexpr (sizeof(T) == 4)
                d[i] = row[i];
            else
                d[i] = fp32_to_fp16(row[i]);
        }
    }

    void dot(int layer, int head, const float* q, int from, int n, float* scores) const override {
        const int hd = shape_.dim(layer), row = shape_.row(layer);
        const T* base = at(layer, from) + head * hd;
        if constexpr (sizeof(T) == 4)
            kern_.rows_dot_f32(base, row, n, q, hd, scores);
        else
            kern_.rows_dot_f16(base, row, n, q, hd, scores);
    }

    void axpy(int layer, int head, const float* w, int from, int n, float* out) const override {
        const int hd = shape_.dim(layer), row = shape_.row(layer);
        const T* base = at(layer, from) + head * hd;
        if constexpr (sizeof(T) == 4)
            kern_.rows_axpy_f32(base, row, n, w, hd, out);
        else
            kern_.rows_axpy_f16(base, row, n, w, hd, out);
    }

    bool multi_query() const override { return sizeof(T) == 2; }
    void dot4(int layer, int head, const float* const* q, int from, int n,
              float* const* scores) const override {
        if constexpr (sizeof(T) == 4) {
            KvSide::dot4(layer, head, q, from, n, scores);
        } else {
            const int hd = shape_.dim(layer);
            kern_.rows_dot_f16_x4(at(layer, from) + head * hd, shape_.row(layer), n, q, hd, scores);
        }
    }
    void axpy4(int layer, int head, const float* const* w, int from, int n,
               float* const* out) const override {
        if constexpr (sizeof(T) == 4) {
            KvSide::axpy4(layer, head, w, from, n, out);
        } else {
            const int hd = shape_.dim(layer);
            kern_.rows_axpy_f16_x4(at(layer, from) + head * hd, shape_.row(layer), n, w, hd, out);
        }
    }

    void read(int layer, int pos, int first, int n, float* out) const override {
        const T* d = at(layer, pos) + first;
        for (int i = 0; i < n; ++i) {
            if constexpr (sizeof(T) == 4)
                out[i] = d[i];
            else
                out[i] = fp16_to_fp32(d[i]);
        }
    }

    void import_rows(int layer, int pos, int n, const uint8_t* rows, const uint16_t*) override {
        std::memcpy(at(layer, pos), rows, size_t(n) * size_t(shape_.row(layer)) * sizeof(T));
    }

  private:
    size_t offset(int layer, int pos) const {
        return first_[size_t(layer)] + size_t(slot(layer, pos)) * size_t(shape_.row(layer));
    }
    T* at(int layer, int pos) { return data_.data() + offset(layer, pos); }
    const T* at(int layer, int pos) const { return data_.data() + offset(layer, pos); }

    std::vector<size_t> first_;  // each layer's first value
    std::vector<T> data_;
    const CpuKernels& kern_;
};

}  // namespace

std::unique_ptr<KvSide> make_dense_side(const KvFormat& f, const KvShape& s) {
    if (f.kind == KvFormat::F32) return std::make_unique<DenseSide<float>>(f, s);
    return std::make_unique<DenseSide<uint16_t>>(f, s);
}

}  // namespace nqkv
