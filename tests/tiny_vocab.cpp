// The tiny models' vocabularies: a BPE tokenizer trained in-process with SentencePieceTrainer,
// and the byte-level BPE test vocabulary (tests/data/bpe_vocab.json).
#include <sentencepiece_trainer.h>

#include <QtGlobal>
#include <fstream>
#include <random>
#include <sstream>

#include "engine/sp_model_proto.h"
#include "engine/tokenizer.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

namespace nqkv::test {
namespace {

std::string make_corpus() {
    const char* names[] = {"Tom", "Mia", "Ana", "Leo", "Sam", "Ivy"};
    const char* things[] = {"apples", "books", "coins", "stones", "cakes", "shells"};
    const char* verbs[] = {"found", "bought", "gave away", "collected", "counted"};
    std::mt19937 rng(7);
    std::ostringstream os;
    for (int i = 0; i < 3000; ++i) {
        os << names[rng() % 6] << " " << verbs[rng() % 5] << " " << rng() % 500 << " "
           << things[rng() % 6] << ". Then there were " << rng() % 90 << " left, so the answer is "
           << rng() % 1000 << ".\n";
    }
    return os.str();
}

}  // namespace

std::string tiny_tokenizer_model() {
    static const std::string path = [] {
        const std::string dir = temp_dir();
        const std::string corpus = dir + "/corpus.txt";
        std::ofstream(corpus) << make_corpus();
        const auto status = sentencepiece::SentencePieceTrainer::Train(
            "--input=" + corpus + " --model_prefix=" + dir + "/tiny --vocab_size=320 " +
            "--model_type=bpe --byte_fallback=true --split_digits=true --character_coverage=1.0 " +
            "--num_threads=1 --minloglevel=2");
        if (!status.ok()) qFatal("SentencePieceTrainer failed: %s", status.ToString().c_str());
        return dir + "/tiny.model";
    }();
    return path;
}

int set_bpe_test_vocab(GgufWriter& w, const std::string& pre,
                       const std::vector<std::string>& controls) {
    const QJsonObject v = load_json(std::string(NQKV_TEST_DATA_DIR) + "/bpe_vocab.json");
    auto strings = [&](const char* key) {
        std::vector<GgufValue> out;
        for (const auto& x : v[key].toArray())
            out.push_back(GgufValue::str(x.toString().toStdString()));
        return out;
    };
    std::vector<GgufValue> tokens = strings("tokens"), types;
    for (const auto& x : v["token_type"].toArray()) types.push_back(GgufValue::i32(x.toInt()));
    for (const std::string& c : controls) {
        tokens.push_back(GgufValue::str(c));
        types.push_back(GgufValue::i32(3));  // control
    }
    auto id_of = [&](const char* text) {
        for (size_t i = 0; i < tokens.size(); ++i)
            if (*tokens[i].as_string() == text) return uint32_t(i);
        qFatal("bpe_vocab.json has no %s", text);
    };
    const int n = int(tokens.size());
    w.set("tokenizer.ggml.model", GgufValue::str("gpt2"));
    w.set("tokenizer.ggml.pre", GgufValue::str(pre));
    w.set("tokenizer.ggml.bos_token_id", GgufValue::u32(id_of("<|begin_of_text|>")));
    w.set("tokenizer.ggml.eos_token_id", GgufValue::u32(id_of("<|eot_id|>")));
    w.set("tokenizer.ggml.tokens", GgufValue::array(GgufType::STRING, std::move(tokens)));
    w.set("tokenizer.ggml.token_type", GgufValue::array(GgufType::I32, std::move(types)));
    w.set("tokenizer.ggml.merges", GgufValue::array(GgufType::STRING, strings("merges")));
    return n;
}

int set_tiny_vocab(GgufWriter& w, const std::string& bpe_pre,
                   const std::vector<std::string>& controls) {
    if (!bpe_pre.empty()) return set_bpe_test_vocab(w, bpe_pre, controls);
    std::ifstream in(tiny_tokenizer_model(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    SpModelSpec sp;
    if (!decode_sp_model(ss.str(), sp)) qFatal("cannot read the trained tokenizer");
    set_gguf_sentencepiece_vocab(w, sp);
    return int(sp.pieces.size());
}

}  // namespace nqkv::test
