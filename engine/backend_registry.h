// Finds the backends this machine can run. CPU is always there. The CUDA backend lives in
// libnqkv_cuda.so, loaded with dlopen so one build runs with or without a GPU and driver.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "engine/backend.h"

namespace nqkv {

struct LlamaHParams;

struct GpuDevice {
    std::string name;
    size_t total_bytes = 0;
    size_t free_bytes = 0;
    int cc_major = 0, cc_minor = 0;
};

struct CudaProbe {
    bool module_loaded = false;
    std::string module_path;  // where it was found
    std::string message;      // why there is no usable device, when there is none
    std::vector<GpuDevice> devices;
};

// Looks for the module next to the executable, in ../lib/nqkv, in $NQKV_CUDA_MODULE and on
// the loader path, and asks it for devices. Never throws.
CudaProbe probe_cuda();

// "cpu", "cuda" or "auto" (default_backend_name()). Throws Error naming the backend and why
// it cannot be used.
std::unique_ptr<Backend> create_backend(const std::string& name);
// The same for one model: "auto" picks the CPU for a model the GPU backend cannot run yet
// (mixture of experts), and "cuda" refuses such a model by name.
std::unique_ptr<Backend> create_backend(const std::string& name, const LlamaHParams& model);

// "cuda" when a CUDA device is usable, else "cpu"; $NQKV_BACKEND overrides. Probed once.
std::string default_backend_name();

// A symbol of the CUDA module (its test entry points), or nullptr when there is no module.
void* cuda_module_symbol(const char* symbol);

}  // namespace nqkv
