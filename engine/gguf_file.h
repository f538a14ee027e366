// Reads a GGUF file (versions 2 and 3) through mmap. Every offset, size and count in the file
// is checked against the file size before use, with arithmetic that cannot overflow, so a
// damaged or hostile file yields an Error naming the file and the problem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/ggml_types.h"
#include "engine/gguf_value.h"

namespace nqkv {

struct GgufTensorInfo {
    std::string name;
    std::vector<uint64_t> dims;  // GGUF order: dims[0] is the contiguous (row) dimension
    TensorType type = TensorType::F32;
    uint64_t offset = 0;  // relative to the data section
    uint64_t n_elements = 0;
    uint64_t n_bytes = 0;
    const uint8_t* data = nullptr;  // into the mapping

    uint64_t rows() const { return dims.empty() ? 0 : n_elements / dims[0]; }
    std::string shape_string() const;
};

class GgufFile {
  public:
    // Opens and validates the whole header. Throws Error on any problem.
    static GgufFile open(const std::string& path);

    GgufFile(GgufFile&& other) noexcept;
    GgufFile& operator=(GgufFile&& other) noexcept;
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;
    ~GgufFile();

    const std::string& path() const { return path_; }
    uint32_t version() const { return version_; }
    size_t file_size() const { return size_; }
    uint64_t alignment() const { return alignment_; }
    uint64_t data_offset() const { return data_offset_; }

    const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return kv_; }
    const GgufValue* find(const std::string& key) const;

    // Typed access. The `require_*` forms throw an Error naming the file and key.
    std::optional<int64_t> get_int(const std::string& key) const;
    std::optional<double> get_float(const std::string& key) const;
    std::optional<std::string> get_string(const std::string& key) const;
    std::optional<bool> get_bool(const std::string& key) const;
    int64_t require_int(const std::string& key) const;
    std::string require_string(const std::string& key) const;
    const std::vector<GgufValue>& require_array(const std::string& key, GgufType elem) const;

    const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
    const GgufTensorInfo* tensor(const std::string& name) const;
    // A tensor the engine computes with: present, and of a type it supports. Throws Error naming
    // the file and tensor otherwise.
    const GgufTensorInfo& computable(const std::string& name) const;
    // An F32 tensor of n values (norm weights, biases), read in place. Throws Error naming the
    // file and tensor when it has another type or size, or is missing and required; nullptr
    // when it is missing and not required.
    const float* f32_vector(const std::string& name, int64_t n, bool required = true) const;

  private:
    GgufFile() = default;
    void parse();
    void release();

    std::string path_;
    const uint8_t* base_ = nullptr;
    size_t size_ = 0;
    uint32_t version_ = 0;
    uint64_t alignment_ = 32;
    uint64_t data_offset_ = 0;
    std::vector<std::pair<std::string, GgufValue>> kv_;
    std::unordered_map<std::string, size_t> kv_index_;
    std::vector<GgufTensorInfo> tensors_;
    std::unordered_map<std::string, size_t> tensor_index_;
};

}  // namespace nqkv
