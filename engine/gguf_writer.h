// Writes GGUF version 3 files: used by the tests to build models and by the bundled-model
// recipe. Tensors are given as raw bytes already in their file type.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/ggml_types.h"
#include "engine/gguf_value.h"

namespace nqkv {

class GgufWriter {
  public:
    explicit GgufWriter(uint32_t alignment = 32) : alignment_(alignment) {}

    void set(const std::string& key, GgufValue value);
    void erase(const std::string& key);
    // dims in GGUF order (dims[0] contiguous); bytes must match the type's size exactly.
    // A tensor of the same name is replaced.
    void add_tensor(const std::string& name, TensorType type, std::vector<uint64_t> dims,
                    std::vector<uint8_t> bytes);
    void add_f32(const std::string& name, std::vector<uint64_t> dims, const std::vector<float>& v);
    // A tensor whose bytes are read from `path` at `offset` only when the file is written, so
    // converting a large checkpoint never holds it in memory. The size follows from type and
    // shape.
    void add_tensor_from_file(const std::string& name, TensorType type, std::vector<uint64_t> dims,
                              const std::string& path, uint64_t offset);

    // Serialises the whole file into memory (tests corrupt it byte by byte).
    std::vector<uint8_t> serialize() const;
    // Writes atomically: a temporary file renamed over `path`, streaming tensor data; `progress`
    // (optional) gets the fraction of tensor bytes written. Throws Error on failure.
    void write(const std::string& path, const std::function<void(double)>& progress = {}) const;

  private:
    struct Tensor {
        std::string name;
        TensorType type;
        std::vector<uint64_t> dims;
        std::vector<uint8_t> bytes;
        uint64_t size = 0;   // bytes in the file
        std::string source;  // read from here when not empty
        uint64_t source_offset = 0;
    };
    void put_tensor(Tensor t);
    std::vector<uint8_t> header() const;  // everything before the tensor data, padded
    uint32_t alignment_;
    std::vector<std::pair<std::string, GgufValue>> kv_;
    std::vector<Tensor> tensors_;
};

}  // namespace nqkv
