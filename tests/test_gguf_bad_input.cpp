// Damaged and hostile inputs: each gets one clear error naming the input, never a crash.
#include <fstream>
#include <limits>

#include "engine/backend.h"
#include "engine/error.h"
#include "engine/generator.h"
#include "engine/gguf_file.h"
#include "engine/llama_model.h"
#include "engine/sp_model_proto.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;

namespace {

// Hand-built GGUF bytes, for headers no honest writer would produce.
struct Raw {
    std::vector<uint8_t> b;
    template <class T>
    Raw& put(T v) {
        const auto* p = reinterpret_cast<const uint8_t*>(&v);
        b.insert(b.end(), p, p + sizeof(T));
        return *this;
    }
    Raw& str(const std::string& s) {
        put<uint64_t>(s.size());
        b.insert(b.end(), s.begin(), s.end());
        return *this;
    }
    Raw& header(uint64_t n_tensors, uint64_t n_kv, uint32_t version = 3) {
        return put<uint32_t>(0x46554747)
            .put<uint32_t>(version)
            .put<uint64_t>(n_tensors)
            .put<uint64_t>(n_kv);
    }
    Raw& tensor(const std::string& name, uint64_t ne, uint32_t type, uint64_t offset) {
        return str(name).put<uint32_t>(1).put<uint64_t>(ne).put<uint32_t>(type).put<uint64_t>(
            offset);
    }
    Raw& pad(size_t to) {
        while (b.size() % to) b.push_back(0);
        return *this;
    }
    Raw& zeros(size_t n) {
        b.insert(b.end(), n, 0);
        return *this;
    }
};

std::string save(const std::vector<uint8_t>& bytes) {
    const std::string path = test::temp_dir() + "/bad.gguf";
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), long(bytes.size()));
    return path;
}

// Loads `path` as a model and checks the single-line error names the file and says `what`.
void expect_load_error(const std::string& path, const char* what) {
    try {
        LlamaModel::load(path);
        QFAIL(qPrintable(QString("no error; expected \"%1\"").arg(what)));
    } catch (const Error& e) {
        const std::string msg = e.what();
        qInfo("%s", msg.c_str());
        QVERIFY2(msg.find(path) == 0, msg.c_str());
        QVERIFY2(msg.find(what) != std::string::npos, msg.c_str());
        QVERIFY2(msg.find('\n') == std::string::npos, msg.c_str());
    }
}

constexpr uint64_t kHuge = (1ull << 63) - 5;

}  // namespace

class TestGgufBadInput : public QObject {
    Q_OBJECT

  private slots:
    void empty_file() { expect_load_error(save({}), "file is empty"); }
    void too_short() { expect_load_error(save({'G', 'G'}), "too short"); }
    void bad_magic() {
        expect_load_error(save({'G', 'G', 'M', 'L', 3, 0, 0, 0}), "not a GGUF file");
    }
    void unsupported_version() {
        expect_load_error(save(Raw().header(0, 0, 1).b), "unsupported GGUF version 1");
        expect_load_error(save(Raw().header(0, 0, 4).b), "unsupported GGUF version 4");
    }
    void truncated_header() {
        auto bytes = test::tiny_model_writer({}).serialize();
        bytes.resize(100);
        expect_load_error(save(bytes), "truncated");
    }
    void tensor_data_past_eof() {
        auto bytes = test::tiny_model_writer({}).serialize();
        bytes.resize(bytes.size() - 100);
        expect_load_error(save(bytes), "ends past end of file");
    }
    void huge_tensor_count() { expect_load_error(save(Raw().header(kHuge, 0).b), "tensor count"); }
    void huge_metadata_count() {
        expect_load_error(save(Raw().header(0, kHuge).b), "metadata count");
    }
    void huge_array_length() {
        Raw r;
        r.header(0, 1).str("arr").put<uint32_t>(9).put<uint32_t>(6).put<uint64_t>(kHuge);
        expect_load_error(save(r.b), "array length");
        Raw s;
        s.header(0, 1).str("arr").put<uint32_t>(9).put<uint32_t>(8).put<uint64_t>(
            std::numeric_limits<uint64_t>::max());
        expect_load_error(save(s.b), "array length");
    }
    void huge_string_length() {
        Raw r;
        r.header(0, 1).put<uint64_t>(kHuge).zeros(64);
        expect_load_error(save(r.b), "truncated while reading metadata key");
    }
    void deeply_nested_arrays() {
        Raw r;
        r.header(0, 1).str("deep").put<uint32_t>(9);
        for (int i = 0; i < 20; ++i) r.put<uint32_t>(9).put<uint64_t>(1);
        expect_load_error(save(r.zeros(64).b), "nested deeper");
    }
    void huge_tensor_dims() {
        Raw r;
        r.header(1, 0)
            .str("t")
            .put<uint32_t>(2)
            .put<uint64_t>(kHuge)
            .put<uint64_t>(kHuge)
            .put<uint32_t>(0)
            .put<uint64_t>(0);
        expect_load_error(save(r.pad(32).zeros(64).b), "overflows");
    }
    void misaligned_tensor() {
        Raw r;
        r.header(1, 0).tensor("t", 8, 0, 4);
        expect_load_error(save(r.pad(32).zeros(64).b), "not a multiple of the alignment");
    }
    void overlapping_tensors() {
        Raw r;
        r.header(2, 0).tensor("a", 16, 0, 0).tensor("b", 16, 0, 32);
        expect_load_error(save(r.pad(32).zeros(128).b), "overlap");
    }
    void unknown_tensor_type() {
        Raw r;
        r.header(1, 0).tensor("t", 32, 99, 0);
        expect_load_error(save(r.pad(32).zeros(256).b), "unknown type 99");
    }
    void unsupported_known_tensor_type() {
        test::TinySpec spec;
        spec.n_embd = 256;
        spec.n_head = 8;
        spec.n_head_kv = 4;
        GgufWriter w = test::tiny_model_writer(spec);
        w.add_tensor("blk.0.attn_q.weight", TensorType::NVFP4, {256, 256},
                     std::vector<uint8_t>(256 * 4 * 36));
        expect_load_error(save(w.serialize()),
                          "tensor blk.0.attn_q.weight has type NVFP4, which this engine cannot "
                          "compute with (supported: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, "
                          "Q3_K, Q4_K, Q5_K, Q6_K, IQ2_XXS, IQ2_XS, IQ3_XXS, IQ1_S, IQ4_NL, IQ3_S, "
                          "IQ2_S, IQ4_XS, IQ1_M, BF16, TQ1_0, TQ2_0, MXFP4, Q1_0, Q2_0)");
    }
    void missing_required_key() {
        GgufWriter w = test::tiny_model_writer({});
        w.erase("llama.block_count");
        expect_load_error(save(w.serialize()), "required key llama.block_count is missing");
    }
    void missing_tensor() {
        test::TinySpec s;
        GgufWriter w = test::tiny_model_writer(s);
        w.set("llama.block_count", GgufValue::u32(3));
        expect_load_error(save(w.serialize()), "required tensor blk.2.attn_norm.weight is missing");
    }
    void other_architecture() {
        GgufWriter w = test::tiny_model_writer({});
        w.set("general.architecture", GgufValue::str("gpt2"));
        expect_load_error(save(w.serialize()), "architecture \"gpt2\" is not supported");
    }
    void heads_of_two_sizes() {
        GgufWriter w = test::tiny_model_writer({});
        w.set("llama.attention.key_length", GgufValue::u32(16));
        w.set("llama.attention.value_length", GgufValue::u32(32));
        expect_load_error(save(w.serialize()),
                          "llama.attention.key_length 16 and value_length 32 differ");
    }
    void wider_heads_need_wider_matrices() {
        GgufWriter w = test::tiny_model_writer({});
        w.set("llama.attention.key_length", GgufValue::u32(32));
        expect_load_error(save(w.serialize()),
                          "tensor blk.0.attn_q.weight has shape [64, 64], expected [64, 128]");
    }
    void vocab_disagrees_with_embedding() {
        GgufWriter w = test::tiny_model_writer({});
        std::ifstream in(test::tiny_tokenizer_model(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        SpModelSpec sp;
        QVERIFY(decode_sp_model(ss.str(), sp));
        std::vector<GgufValue> tokens, scores, types;
        for (size_t i = 0; i < 300; ++i) {
            tokens.push_back(GgufValue::str(sp.pieces[i].text));
            scores.push_back(GgufValue::f32(sp.pieces[i].score));
            types.push_back(GgufValue::i32(int(sp.pieces[i].type)));
        }
        w.set("tokenizer.ggml.tokens", GgufValue::array(GgufType::STRING, tokens));
        w.set("tokenizer.ggml.scores", GgufValue::array(GgufType::F32, scores));
        w.set("tokenizer.ggml.token_type", GgufValue::array(GgufType::I32, types));
        expect_load_error(save(w.serialize()),
                          "the vocabulary has 300 tokens but token_embd.weight has 320 rows");
    }
    void prompt_longer_than_context() {
        auto model = LlamaModel::load(test::write_tiny_model({}));
        ContextParams cp;
        cp.n_ctx = 16;
        auto ctx = make_cpu_backend()->create_context(*model, cp);
        try {
            generate(*model, *ctx, std::string(200, 'a') + " 12345 apples", GenerateParams{});
            QFAIL("no error");
        } catch (const Error& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.rfind("prompt: ", 0) == 0, msg.c_str());
            QVERIFY2(msg.find("do not fit the context of 16") != std::string::npos, msg.c_str());
            QVERIFY2(msg.find("never truncated") != std::string::npos, msg.c_str());
        }
    }
    void invalid_utf8_prompt() {
        auto model = LlamaModel::load(test::write_tiny_model({}));
        auto ctx = make_cpu_backend()->create_context(*model, ContextParams{});
        try {
            generate(*model, *ctx, "ok \xC3\x28 bad", GenerateParams{});
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()), std::string("prompt: invalid UTF-8 at byte 3 (0xc3)"));
        }
    }

    // A Granite file without its logit scale, which llama.cpp would refuse too.
    void granite_files_llama_cpp_would_refuse_are_refused() {
        test::TinySpec spec;
        spec.arch = "granite";
        GgufWriter w = test::tiny_model_writer(spec);
        w.erase("granite.logit_scale");
        const std::string path = test::temp_dir() + "/granite-bad.gguf";
        w.write(path);
        const QString e = test::error_of([&] { LlamaModel::load(path); });
        QVERIFY2(e.contains("granite.logit_scale is missing"), qPrintable(e));
    }
};

QTEST_GUILESS_MAIN(TestGgufBadInput)
#include "test_gguf_bad_input.moc"
