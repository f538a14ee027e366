// llama2.c checkpoints into GGUF: stories260K.bin with tok512.bin (or tok512.model) gives the
// tensors and vocabulary of llama.cpp's own conversion, a checkpoint made here with a separate
// classifier and grouped KV heads lands tensor by tensor, and malformed inputs are refused.
#include <cstring>
#include <fstream>
#include <random>

#include "engine/error.h"
#include "engine/gguf_file.h"
#include "engine/llama2c_checkpoint.h"
#include "engine/llama_model.h"
#include "tests/test_support.h"

using namespace nqkv;
using test::error_of;

namespace {

std::string convert(const std::string& bin, const std::string& vocab, const std::string& name) {
    const std::string out = test::temp_dir() + "/" + name + ".gguf";
    llama2c_to_gguf(bin, vocab, name).write(out);
    return out;
}

template <typename T>
void put(std::ostream& o, T v) {
    o.write(reinterpret_cast<const char*>(&v), sizeof v);
}

// A checkpoint of run.c's layout filled with i * 0.001 (float i at index i), and a tokenizer.bin.
struct Synthetic {
    std::string bin, vocab;
    int32_t h[7] = {16, 24, 2, 4, 2, -40, 8};  // separate classifier: vocab_size < 0
    size_t n_floats = 0;
    explicit Synthetic(bool truncate = false) {
        const std::string dir = test::temp_dir();
        bin = dir + "/tiny.bin";
        vocab = dir + "/tok40.bin";
        const size_t d = 16, ff = 24, L = 2, v = 40, kv = 8, seq = 8, hs = 4;
        n_floats = v * d + L * (2 * d + 2 * d * d + 2 * d * kv + 3 * d * ff) + d + seq * hs + v * d;
        std::ofstream o(bin, std::ios::binary);
        for (int32_t x : h) put(o, x);
        for (size_t i = 0; i < n_floats - (truncate ? 1 : 0); ++i) put(o, float(i) * 0.001f);
        std::ofstream t(vocab, std::ios::binary);
        put(t, int32_t(8));
        for (int i = 0; i < 40; ++i) {
            const std::string s = i == 1   ? "\n<s>\n"
                                  : i == 2 ? "\n</s>\n"
                                           : " w" + std::to_string(i);
            put(t, float(-i));
            put(t, int32_t(s.size()));
            t.write(s.data(), std::streamsize(s.size()));
        }
    }
};

}  // namespace

class TestLlama2c : public QObject {
    Q_OBJECT

  private slots:
    void stories260k_converts_to_llama_cpp_gguf() {
        NQKV_REQUIRE_SHARED(bin, "models/stories260K.bin");
        NQKV_REQUIRE_SHARED(tok, "models/tok512.bin");
        NQKV_REQUIRE_SHARED(spm, "models/tok512.model");
        NQKV_REQUIRE_SHARED(ref_path, "models/stories260K.gguf");
        const GgufFile ref = GgufFile::open(ref_path);
        for (const std::string& vocab : {tok, spm}) {
            const GgufFile got = GgufFile::open(convert(bin, vocab, "stories260K"));
            QCOMPARE(got.tensors().size(), ref.tensors().size());
            for (const auto& t : ref.tensors()) {
                const GgufTensorInfo* g = got.tensor(t.name);
                QVERIFY2(g, t.name.c_str());
                QCOMPARE(g->dims, t.dims);
                QCOMPARE(int(g->type), int(t.type));
                QVERIFY2(std::memcmp(g->data, t.data, t.n_bytes) == 0, t.name.c_str());
            }
            for (const char* key :
                 {"tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type"}) {
                const auto& a = *ref.find(key)->as_array();
                const auto& b = *got.find(key)->as_array();
                QCOMPARE(b.size(), a.size());
                for (size_t i = 0; i < a.size(); ++i)
                    QVERIFY2(a[i].to_display() == b[i].to_display(),
                             qPrintable(QString("%1[%2]").arg(key).arg(i)));
            }
            for (const char* key :
                 {"llama.embedding_length", "llama.feed_forward_length", "llama.block_count",
                  "llama.attention.head_count", "llama.attention.head_count_kv",
                  "llama.rope.dimension_count", "tokenizer.ggml.bos_token_id",
                  "tokenizer.ggml.eos_token_id", "tokenizer.ggml.unknown_token_id"})
                QCOMPARE(got.get_int(key), ref.get_int(key));
            QCOMPARE(got.get_int("llama.context_length"), std::optional<int64_t>(512));
        }
    }

    void separate_classifier_and_grouped_heads_land_in_place() {
        Synthetic s;
        const std::string out = convert(s.bin, s.vocab, "synthetic");
        auto model = LlamaModel::load(out);
        const LlamaHParams& hp = model->hparams();
        QCOMPARE(hp.n_embd, 16);
        QCOMPARE(hp.n_head_kv, 2);
        QCOMPARE(hp.n_ctx_train, 8);
        QVERIFY(!model->tied_output());
        // Float i holds i * 0.001: each tensor starts where run.c's pointer walk puts it.
        auto first = [&](const char* name) {
            const GgufTensorInfo* t = model->file().tensor(name);
            float x;
            std::memcpy(&x, t->data, 4);
            return int(std::lround(x * 1000));
        };
        const int d = 16, ff = 24, L = 2, v = 40, kv = 8;
        QCOMPARE(first("token_embd.weight"), 0);
        QCOMPARE(first("blk.1.attn_norm.weight"), v * d + d);
        QCOMPARE(first("blk.0.attn_k.weight"), v * d + L * d + L * d * d);
        QCOMPARE(first("blk.1.ffn_down.weight"),
                 v * d + L * (2 * d + 2 * d * d + 2 * d * kv) + L * d * ff + d * ff);
        QCOMPARE(first("output.weight"), int(s.n_floats) - v * d);
        const Tokenizer& tok = model->tokenizer();
        QCOMPARE(tok.piece(1), std::string("<s>"));
        QCOMPARE(tok.type(2), PieceType::Control);
        QCOMPARE(tok.piece(5), std::string("\xE2\x96\x81w5"));
        QCOMPARE(tok.type(5), PieceType::Normal);
    }

    void malformed_inputs_are_refused_by_name() {
        const Synthetic truncated(true);
        QString e = error_of([&] { read_llama2c_config(truncated.bin); });
        QVERIFY2(e.contains("tiny.bin") && e.contains("the file has"), qPrintable(e));
        Synthetic s;
        e = error_of([&] { llama2c_to_gguf(s.bin, s.bin, "x"); });
        QVERIFY2(e.contains("neither a llama2.c tokenizer.bin with 40 tokens"), qPrintable(e));
        {
            std::fstream f(s.bin, std::ios::binary | std::ios::in | std::ios::out);
            f.seekp(12);
            put(f, int32_t(3));  // 3 heads do not divide dim 16
        }
        e = error_of([&] { read_llama2c_config(s.bin); });
        QVERIFY2(e.contains("do not make whole"), qPrintable(e));
        {
            std::ofstream f(s.bin, std::ios::binary);
            f << "GGUF and more bytes than a header needs";
        }
        e = error_of([&] { read_llama2c_config(s.bin); });
        QVERIFY2(e.contains("already a GGUF"), qPrintable(e));
    }
};

QTEST_GUILESS_MAIN(TestLlama2c)
#include "test_llama2c.moc"
