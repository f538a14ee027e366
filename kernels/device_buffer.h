// Device memory from cudaMalloc only, owned by RAII buffers. Running out of memory is an
// ordinary error that says what needed how much and how much was free, never a crash.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <string>
#include <utility>

namespace nqkv::cuda {

// Throws nqkv::Error ("... MiB needed, ... MiB free of ... MiB; use the CPU backend") when
// the allocation fails.
void* device_alloc(size_t bytes, const std::string& what);

class DeviceBuffer {
  public:
    DeviceBuffer() = default;
    DeviceBuffer(size_t bytes, const std::string& what)
        : ptr_(bytes ? device_alloc(bytes, what) : nullptr), bytes_(bytes) {}
    DeviceBuffer(DeviceBuffer&& o) noexcept
        : ptr_(std::exchange(o.ptr_, nullptr)), bytes_(o.bytes_) {}
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
        std::swap(ptr_, o.ptr_);
        std::swap(bytes_, o.bytes_);
        return *this;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    ~DeviceBuffer() {
        if (ptr_) cudaFree(ptr_);
    }

    template <class T>
    T* as() const {
        return static_cast<T*>(ptr_);
    }
    size_t bytes() const { return bytes_; }

  private:
    void* ptr_ = nullptr;
    size_t bytes_ = 0;
};

}  // namespace nqkv::cuda
