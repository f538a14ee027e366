#include "engine/backend_registry.h"
#include "engine/llama_model.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "engine/error.h"

namespace nqkv {
namespace {

// The C ABI the CUDA module exports (see kernels/cuda_module.cu).
using DeviceCountFn = int (*)(char* err, size_t err_len);
using DeviceInfoFn = int (*)(int index, char* name, size_t name_len, size_t* total, size_t* free,
                             int* major, int* minor);
using MakeBackendFn = Backend* (*)(int device, char* err, size_t err_len);
constexpr const char* kModuleName = "libnqkv_cuda.so";

std::string exe_dir() {
    char buf[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0) return {};
    std::string p(buf, size_t(n));
    return p.substr(0, p.find_last_of('/'));
}

void* open_module(std::string& found, std::string& errors) {
    std::vector<std::string> tries;
    if (const char* env = std::getenv("NQKV_CUDA_MODULE")) tries.emplace_back(env);
    const std::string dir = exe_dir();
    if (!dir.empty()) {
        tries.push_back(dir + "/" + kModuleName);
        tries.push_back(dir + "/../lib/nqkv/" + kModuleName);
    }
    tries.emplace_back(kModuleName);
    for (const auto& path : tries) {
        if (void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
            found = path;
            return h;
        }
        const char* e = ::dlerror();
        // A module that exists but fails to load (missing libcudart) is worth reporting.
        if (e && std::string(e).find("No such file") == std::string::npos)
            errors += std::string(e) + "; ";
    }
    return nullptr;
}

}  // namespace

CudaProbe probe_cuda() {
    CudaProbe probe;
    std::string errors;
    void* h = open_module(probe.module_path, errors);
    if (!h) {
        probe.message = errors.empty()
                            ? std::string(kModuleName) + " not found (built without CUDA)"
                            : std::string(kModuleName) + " failed to load: " + errors;
        return probe;
    }
    probe.module_loaded = true;
    auto count_fn = reinterpret_cast<DeviceCountFn>(::dlsym(h, "nqkv_cuda_device_count"));
    auto info_fn = reinterpret_cast<DeviceInfoFn>(::dlsym(h, "nqkv_cuda_device_info"));
    if (!count_fn || !info_fn) {
        probe.message = probe.module_path + ": not an NQKV CUDA module (missing entry points)";
        return probe;
    }
    char err[512] = {0};
    const int n = count_fn(err, sizeof(err));
    if (n <= 0) {
        probe.message = err[0] ? err : "no CUDA device";
        return probe;
    }
    for (int i = 0; i < n; ++i) {
        GpuDevice d;
        char name[256] = {0};
        if (info_fn(i, name, sizeof(name), &d.total_bytes, &d.free_bytes, &d.cc_major,
                    &d.cc_minor) == 0) {
            d.name = name;
            probe.devices.push_back(d);
        }
    }
    // The module stays loaded for the life of the process: CUDA runtimes dislike unloading.
    return probe;
}

std::unique_ptr<Backend> create_backend(const std::string& name) {
    if (name == "cpu") return make_cpu_backend();
    if (name == "cuda") {
        const CudaProbe p = probe_cuda();
        if (p.devices.empty()) fail("backend cuda: ", p.message, "; use the CPU backend");
        std::string errors;
        std::string path;
        void* h = open_module(path, errors);
        auto make =
            h ? reinterpret_cast<MakeBackendFn>(::dlsym(h, "nqkv_cuda_make_backend")) : nullptr;
        if (!make)
            fail("backend cuda: ", p.module_path,
                 " has no compute path (an older module); use the CPU backend");
        char err[512] = {0};
        Backend* b = make(0, err, sizeof(err));
        if (!b) fail("backend cuda: ", err, "; use the CPU backend");
        return std::unique_ptr<Backend>(b);
    }
    if (name == "auto") return create_backend(default_backend_name());
    fail("unknown backend \"", name, "\" (choices: cpu, cuda, auto)");
}

std::unique_ptr<Backend> create_backend(const std::string& name, const LlamaHParams& model) {
    if (const std::string why = gpu_unsupported(model); !why.empty()) {
        if (name == "cuda") fail("backend cuda: ", why);
        if (name == "auto") return make_cpu_backend();
    }
    return create_backend(name);
}

std::string default_backend_name() {
    static const std::string name = [] {
        if (const char* env = std::getenv("NQKV_BACKEND")) return std::string(env);
        return probe_cuda().devices.empty() ? std::string("cpu") : std::string("cuda");
    }();
    return name;
}

void* cuda_module_symbol(const char* symbol) {
    std::string path, errors;
    void* h = open_module(path, errors);
    return h ? ::dlsym(h, symbol) : nullptr;
}

}  // namespace nqkv
