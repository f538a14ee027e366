// Entry points of libnqkv_cuda.so, a plain C ABI so the engine can dlopen it without CUDA
// headers. Errors never cross the boundary as exceptions: they become return codes and text.
#include <cstring>
#include <exception>

#include <vector>

#include "engine/kv_config.h"
#include "kernels/bench_kernels.h"
#include "kernels/cuda_backend.h"
#include "kernels/cuda_check.h"
#include "kernels/kv_device_cache.h"
#include "kernels/ops.h"

namespace {

void copy_message(const char* msg, char* out, size_t out_len) {
    if (!out || out_len == 0) return;
    std::strncpy(out, msg, out_len - 1);
    out[out_len - 1] = '\0';
}

}  // namespace

extern "C" {

// Number of usable CUDA devices; 0 with a reason in `err` when there are none.
__attribute__((visibility("default"))) int nqkv_cuda_device_count(char* err, size_t err_len) {
    int n = 0;
    const cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        copy_message(cudaGetErrorString(e), err, err_len);
        return 0;
    }
    if (n == 0) copy_message("no CUDA device", err, err_len);
    return n;
}

// Name, memory and compute capability of one device; also proves cuBLAS can start on it.
__attribute__((visibility("default"))) int nqkv_cuda_device_info(int index, char* name,
                                                                 size_t name_len, size_t* total,
                                                                 size_t* free, int* major,
                                                                 int* minor) {
    try {
        cudaDeviceProp prop{};
        CUDA_CHECK(cudaGetDeviceProperties(&prop, index));
        CUDA_CHECK(cudaSetDevice(index));
        CUDA_CHECK(cudaMemGetInfo(free, total));
        cublasHandle_t handle = nullptr;
        CUBLAS_CHECK(cublasCreate(&handle));
        CUBLAS_CHECK(cublasDestroy(handle));
        copy_message(prop.name, name, name_len);
        *major = prop.major;
        *minor = prop.minor;
        return 0;
    } catch (const std::exception& ex) {
        copy_message(ex.what(), name, name_len);
        return -1;
    }
}

// The CUDA backend for a device, or nullptr with the reason in `err`. The engine owns the
// returned object (both sides are built from the same headers by the same compiler).
__attribute__((visibility("default"))) nqkv::Backend* nqkv_cuda_make_backend(int device, char* err,
                                                                             size_t err_len) {
    try {
        return nqkv::cuda::make_backend(device).release();
    } catch (const std::exception& ex) {
        copy_message(ex.what(), err, err_len);
        return nullptr;
    }
}

// For the tests: stores n_rows rows of `row` values with the append kernel into a one-layer
// cache of format `kv` (a --kv spec for one side, e.g. "nq3,block=32") and copies back the
// stored bytes (n_rows * row_bytes) and scales (n_rows * blocks per row). Returns row_bytes,
// or -1 with the reason in `err`.
__attribute__((visibility("default"))) long nqkv_cuda_test_kv_append(const char* kv, int row,
                                                                     int n_rows, const float* rows,
                                                                     uint8_t* stored,
                                                                     uint16_t* scales, char* err,
                                                                     size_t err_len) {
    try {
        const nqkv::KvConfig c = nqkv::KvConfig::parse(kv, "kv");
        const nqkv::KvShape shape{1, n_rows, 1, row};
        nqkv::cuda::DeviceKvCache cache(c, shape);
        const nqkv::cuda::SideView& s = cache.side(nqkv::KvKind::K);
        nqkv::cuda::DeviceBuffer in(size_t(row) * size_t(n_rows) * 4, "test rows");
        CUDA_CHECK(cudaMemcpy(in.as<float>(), rows, in.bytes(), cudaMemcpyHostToDevice));
        nqkv::cuda::kv_append(s, 0, 0, n_rows, in.as<float>(), nullptr);
        CUDA_CHECK(cudaDeviceSynchronize());
        CUDA_CHECK(
            cudaMemcpy(stored, s.data, size_t(n_rows) * s.row_bytes, cudaMemcpyDeviceToHost));
        if (s.kind == nqkv::cuda::SideView::Quant)
            CUDA_CHECK(cudaMemcpy(scales, s.scales, size_t(n_rows) * size_t(s.blocks_per_row) * 2,
                                  cudaMemcpyDeviceToHost));
        return long(s.row_bytes);
    } catch (const std::exception& ex) {
        copy_message(ex.what(), err, err_len);
        return -1;
    }
}

// For the tests: attention of one query (the last position) over n_keys cached keys and
// values of one layer, with the cache in format `kv`. k_rows and v_rows hold n_keys rows of
// n_head_kv * head_dim values, q n_head * head_dim; out gets n_head * head_dim. Returns 0, or
// -1 with the reason in `err`.
__attribute__((visibility("default"))) int nqkv_cuda_test_attention(
    const char* kv, int n_head, int n_head_kv, int head_dim, int n_keys, const float* k_rows,
    const float* v_rows, const float* q, float* out, char* err, size_t err_len) {
    try {
        namespace c = nqkv::cuda;
        const nqkv::KvConfig cfg = nqkv::KvConfig::parse(kv, "kv");
        const nqkv::KvShape shape{1, n_keys, n_head_kv, head_dim};
        c::DeviceKvCache cache(cfg, shape);
        const size_t row = size_t(n_head_kv) * size_t(head_dim), qn = size_t(n_head) * head_dim;
        c::DeviceBuffer kd(row * size_t(n_keys) * 4, "test keys"), vd(kd.bytes(), "test values");
        c::DeviceBuffer qd(qn * 4, "test query"), od(qn * 4, "test output");
        CUDA_CHECK(cudaMemcpy(kd.as<float>(), k_rows, kd.bytes(), cudaMemcpyHostToDevice));
        CUDA_CHECK(cudaMemcpy(vd.as<float>(), v_rows, vd.bytes(), cudaMemcpyHostToDevice));
        CUDA_CHECK(cudaMemcpy(qd.as<float>(), q, qd.bytes(), cudaMemcpyHostToDevice));
        c::kv_append(cache.side(nqkv::KvKind::K), 0, 0, n_keys, kd.as<float>(), nullptr);
        c::kv_append(cache.side(nqkv::KvKind::V), 0, 0, n_keys, vd.as<float>(), nullptr);
        c::AttnScratch sc;
        sc.max_queries = 1;
        sc.max_splits = (n_keys + c::kAttnChunk - 1) / c::kAttnChunk + 1;
        const size_t slots = size_t(n_head) * size_t(sc.max_splits);
        c::DeviceBuffer o(slots * size_t(head_dim) * 4, "test partials"), m(slots * 4, "m"),
            l(slots * 4, "l");
        sc.o = o.as<float>();
        sc.m = m.as<float>();
        sc.l = l.as<float>();
        c::attention(qd.as<float>(), cache.side(nqkv::KvKind::K), cache.side(nqkv::KvKind::V), 0,
                     n_keys - 1, 1, n_head, n_head_kv, head_dim, {}, sc, od.as<float>(), nullptr);
        CUDA_CHECK(cudaDeviceSynchronize());
        CUDA_CHECK(cudaMemcpy(out, od.as<float>(), od.bytes(), cudaMemcpyDeviceToHost));
        return 0;
    } catch (const std::exception& ex) {
        copy_message(ex.what(), err, err_len);
        return -1;
    }
}

// For `nqkv bench --kernels`: median milliseconds of the decode attention kernel over n_keys
// tokens of a `kv` cache, and the bytes it reads; -1 with the reason in `err` on failure.
__attribute__((visibility("default"))) double nqkv_cuda_bench_attention(const char* kv, int n_head,
                                                                        int n_head_kv, int head_dim,
                                                                        int n_keys, int reps,
                                                                        double* bytes, char* err,
                                                                        size_t err_len) {
    try {
        return nqkv::cuda::bench_attention(kv, n_head, n_head_kv, head_dim, n_keys, reps, bytes);
    } catch (const std::exception& ex) {
        copy_message(ex.what(), err, err_len);
        return -1;
    }
}

// The same for the fp16 weight GEMV of a rows x cols matrix.
__attribute__((visibility("default"))) double nqkv_cuda_bench_gemv(int rows, int cols, int reps,
                                                                   double* bytes, char* err,
                                                                   size_t err_len) {
    try {
        return nqkv::cuda::bench_gemv(rows, cols, reps, bytes);
    } catch (const std::exception& ex) {
        copy_message(ex.what(), err, err_len);
        return -1;
    }
}

}  // extern "C"
