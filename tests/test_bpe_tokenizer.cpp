// Byte-level BPE vocabularies (Llama 3 and others): ids against llama.cpp's for every supported
// pre-tokenizer, special tokens, decoding, end-of-turn tokens and malformed vocabularies; Gemma
// 4's BPE over SentencePiece-style pieces against llama.cpp's ids.
#include <random>

#include "engine/bpe_pretokenizer.h"
#include "engine/error.h"
#include "engine/gguf_file.h"
#include "engine/tokenizer.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;
using test::error_of;

namespace {

// A vocabulary-only GGUF with the test vocabulary; `edit` may change keys before writing.
std::string write_vocab(const std::string& pre,
                        const std::function<void(GgufWriter&)>& edit = nullptr) {
    GgufWriter w;
    w.set("general.architecture", GgufValue::str("llama"));
    test::set_bpe_test_vocab(w, pre);
    if (edit) edit(w);
    static int n = 0;
    const std::string path = test::temp_dir() + "/vocab-" + std::to_string(n++) + ".gguf";
    w.write(path);
    return path;
}

std::unique_ptr<Tokenizer> load(const std::string& path) {
    return Tokenizer::from_gguf(GgufFile::open(path));
}

std::vector<std::string> strings(const QJsonValue& v) {
    std::vector<std::string> out;
    for (const auto& x : v.toArray()) out.push_back(x.toString().toStdString());
    return out;
}

// The Gemma 4 test vocabulary (tests/data/gemma4_vocab.json, make_gemma4_vocab.py) as a GGUF.
std::string write_gemma4_vocab(const QJsonObject& v) {
    GgufWriter w;
    w.set("general.architecture", GgufValue::str("gemma4"));
    std::vector<GgufValue> tokens, types, merges;
    for (const std::string& t : strings(v["tokens"])) tokens.push_back(GgufValue::str(t));
    for (const auto& t : v["token_type"].toArray()) types.push_back(GgufValue::i32(t.toInt()));
    for (const std::string& m : strings(v["merges"])) merges.push_back(GgufValue::str(m));
    w.set("tokenizer.ggml.model", GgufValue::str("gemma4"));
    w.set("tokenizer.ggml.tokens", GgufValue::array(GgufType::STRING, std::move(tokens)));
    w.set("tokenizer.ggml.token_type", GgufValue::array(GgufType::I32, std::move(types)));
    w.set("tokenizer.ggml.merges", GgufValue::array(GgufType::STRING, std::move(merges)));
    w.set("tokenizer.ggml.bos_token_id", GgufValue::u32(2));
    w.set("tokenizer.ggml.eos_token_id", GgufValue::u32(1));
    w.set("tokenizer.ggml.unknown_token_id", GgufValue::u32(3));
    w.set("tokenizer.ggml.add_bos_token", GgufValue::boolean(false));  // llama.cpp adds it all
    const std::string path = test::temp_dir() + "/gemma4-vocab.gguf";  // the same
    w.write(path);
    return path;
}

}  // namespace

class TestBpeTokenizer : public QObject {
    Q_OBJECT

  private slots:
    void matches_llama_cpp_for_every_pre_tokenizer() {
        const QJsonObject ref =
            test::load_json(std::string(NQKV_TEST_DATA_DIR) + "/bpe_cases.json");
        const auto cases = strings(ref["cases"]), special = strings(ref["special_cases"]);
        const QJsonObject ids = ref["ids"].toObject();
        QCOMPARE(ids.size(), 23);
        for (const QString& pre : ids.keys()) {
            auto tok = load(write_vocab(pre.toStdString()));
            const QJsonObject want = ids[pre].toObject();
            const QJsonArray plain = want["plain"].toArray(), spec = want["special"].toArray();
            QCOMPARE(size_t(plain.size()), cases.size());
            for (size_t i = 0; i < cases.size(); ++i) {
                const auto got = tok->encode(cases[i], false);
                if (got != test::to_ints(plain[int(i)]))
                    qWarning("%s, case %zu: \"%s\"", qPrintable(pre), i, cases[i].c_str());
                QCOMPARE(got, test::to_ints(plain[int(i)]));
            }
            for (size_t i = 0; i < special.size(); ++i)
                QCOMPARE(tok->encode_special(special[i], false), test::to_ints(spec[int(i)]));
        }
    }

    // Mistral's Tekken words, GPT-4o's (o200k) and Qwen3.5's as llama.cpp cuts them (read back
    // through a vocabulary holding every substring, tests/data/make_bpe_vocab.py): case changes,
    // digits (one, or up to three), slashes after punctuation, contractions (none, or after a
    // word), marks outside words, other scripts' letters; Qwen3.5's marks inside words (combining
    // accents, Devanagari, Thai, Arabic and Hebrew vowel signs, an emoji's variation selector);
    // DeepSeek-V3's three expressions in turn (numbers in threes, CJK and kana runs, ASCII
    // punctuation taking the ASCII letters after it, punctuation and symbols apart); DeepSeek
    // LLM's six (listed letters with a space before them, punctuation runs that take ASCII
    // letters, so "café" is cut before its "é", trailing spaces, scripts from U+0800 on as CJK);
    // Kimi K2's (Han runs apart, next to other letters too; words with a contraction after them).
    void words_cut_as_llama_cpp_does_data() {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<int>("kind");
        QTest::newRow("tekken") << "" << int(BpePreTokenizer::Tekken);
        QTest::newRow("gpt-4o") << "gpt4o_" << int(BpePreTokenizer::Gpt4o);
        QTest::newRow("qwen35") << "qwen35_" << int(BpePreTokenizer::Qwen35);
        QTest::newRow("deepseek-v3") << "deepseek3_" << int(BpePreTokenizer::DeepSeekV3);
        QTest::newRow("deepseek-llm") << "deepseek_llm_" << int(BpePreTokenizer::DeepSeekLlm);
        QTest::newRow("kimi-k2") << "kimi_k2_" << int(BpePreTokenizer::KimiK2);
    }
    void words_cut_as_llama_cpp_does() {
        QFETCH(QString, prefix);
        QFETCH(int, kind);
        const QJsonObject ref =
            test::load_json(std::string(NQKV_TEST_DATA_DIR) + "/tekken_splits.json");
        const auto cases = strings(ref[prefix + "cases"]);
        const QJsonArray splits = ref[prefix + "splits"].toArray();
        QCOMPARE(size_t(splits.size()), cases.size());
        QVERIFY(cases.size() >= 10);
        for (size_t i = 0; i < cases.size(); ++i) {
            std::vector<std::string> got;
            for (std::string_view w : bpe_pre_split(cases[i], BpePreTokenizer(kind)))
                got.emplace_back(w);
            if (got != strings(splits[int(i)])) qWarning("case %zu: \"%s\"", i, cases[i].c_str());
            QCOMPARE(got, strings(splits[int(i)]));
        }
        // The vocabulary starts with BOS unless it says otherwise, as llama.cpp's does.
        QVERIFY(load(write_vocab("tekken"))->add_bos());
    }

    // Gemma 4's: spaces as U+2581, lines merged whole, runs of newlines as their own pieces,
    // characters outside the vocabulary as <0xXX> byte pieces; its turn and channel markers.
    void gemma4_matches_llama_cpp() {
        const QJsonObject ref =
            test::load_json(std::string(NQKV_TEST_DATA_DIR) + "/gemma4_vocab.json");
        auto tok = load(write_gemma4_vocab(ref));
        QVERIFY(tok->add_bos());
        QCOMPARE(tok->bos(), 2);
        QVERIFY(QString::fromStdString(tok->kind()).contains("gemma4"));
        const auto cases = strings(ref["cases"]), special = strings(ref["special_cases"]);
        const QJsonArray plain = ref["ids"]["plain"].toArray(),
                         spec = ref["ids"]["special"].toArray();
        QCOMPARE(size_t(plain.size()), cases.size());
        int bytes = 0;
        for (size_t i = 0; i < cases.size(); ++i) {
            const auto got = tok->encode(cases[i], false);
            if (got != test::to_ints(plain[int(i)]))
                qWarning("case %zu: \"%s\"", i, cases[i].c_str());
            QCOMPARE(got, test::to_ints(plain[int(i)]));
            for (int id : got) bytes += id >= 9 && id < 9 + 256;  // <0x00> is id 9
            QCOMPARE(tok->decode(got), cases[i]);
        }
        QVERIFY(bytes > 20);  // the emoji and Khmer texts went through byte pieces
        for (size_t i = 0; i < special.size(); ++i)
            QCOMPARE(tok->encode_special(special[i], false), test::to_ints(spec[int(i)]));
        // <turn|> ends a reply; the channel markers are shown, as llama.cpp shows them.
        QVERIFY(tok->is_end(5));
        QCOMPARE(tok->decode(tok->encode_special("<|channel>thought\nHm<channel|>4", false)),
                 std::string("<|channel>thought\nHm<channel|>4"));
    }

    void decoding_gives_the_text_back() {
        const QJsonObject ref =
            test::load_json(std::string(NQKV_TEST_DATA_DIR) + "/bpe_cases.json");
        auto tok = load(write_vocab("llama-bpe"));
        for (const std::string& text : strings(ref["cases"])) {
            const auto ids = tok->encode(text, true);
            QCOMPARE(tok->decode(ids), text);
            IncrementalDecoder d(*tok, true);
            std::string streamed;
            for (int id : ids) streamed += d.push(id);
            QCOMPARE(streamed + d.flush(), text);
        }
        // Control tokens decode to nothing, as in llama.cpp's generation output.
        const auto chat =
            tok->encode_special("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", false);
        QCOMPARE(tok->decode(chat), std::string("user\n\nHi"));
    }

    // Random text over letters, digits, marks, spaces, line breaks, apostrophes, punctuation and
    // characters of 1 to 4 bytes: the words always cover the text, and encoding round-trips.
    void random_text_is_covered_and_round_trips() {
        const std::vector<std::string> alphabet = {
            "a",      "Z",      "é",  "ß",    "ж",
            "我",     "3",      "١",  "①",    "\u0301",
            " ",      "  ",     "\t", "\n",   "\r\n",
            "\u00a0", "\u3000", "'",  "'s",   "'LL",
            "!",      "--",     "\"", "🦙", "😶\u200d🌫️",
            "$",      "`",      "Ab", "aB",   "/"};
        auto tok = load(write_vocab("llama-bpe"));
        std::mt19937 rng(5);
        for (int round = 0; round < 300; ++round) {
            std::string text;
            const int n = int(rng() % 24);
            for (int i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
            for (auto kind :
                 {BpePreTokenizer::Gpt2, BpePreTokenizer::Llama3, BpePreTokenizer::Qwen2,
                  BpePreTokenizer::Qwen35, BpePreTokenizer::SmolLM, BpePreTokenizer::Tekken}) {
                std::string joined;
                for (std::string_view w : bpe_pre_split(text, kind)) {
                    QVERIFY(!w.empty());
                    joined += w;
                }
                QCOMPARE(joined, text);
            }
            QCOMPARE(tok->decode(tok->encode(text, false)), text);
        }
    }

    void bos_and_end_tokens() {
        auto llama3 = load(write_vocab("llama-bpe"));
        QVERIFY(llama3->add_bos());  // llama.cpp's default for Llama 3 vocabularies
        QCOMPARE(llama3->piece(llama3->bos()), std::string("<|begin_of_text|>"));
        QCOMPARE(llama3->encode("Hi", true).front(), llama3->bos());
        QVERIFY(llama3->is_end(llama3->eos()));
        QVERIFY(!llama3->is_end(llama3->bos()));
        QVERIFY(llama3->kind().find("llama-bpe") != std::string::npos);
        QVERIFY(!load(write_vocab("gpt-2"))->add_bos());
        // llama.cpp's Llama 3 defaults go with those names, not with the expression.
        for (const char* pre : {"falcon3", "pixtral"}) QVERIFY(load(write_vocab(pre))->add_bos());
        for (const char* pre : {"dbrx", "smaug-bpe"}) QVERIFY(!load(write_vocab(pre))->add_bos());
        // GLM-4 never gets a BOS, even when the vocabulary asks for one.
        auto glm4 = load(write_vocab("glm4", [](GgufWriter& w) {
            w.set("tokenizer.ggml.add_bos_token", GgufValue::boolean(true));
        }));
        QVERIFY(!glm4->add_bos());
        QCOMPARE(glm4->bos(), -1);
        // <|end_of_text|> ends a reply too, though eos is <|eot_id|>.
        const auto eot = llama3->encode_special("<|end_of_text|>", false);
        QCOMPARE(eot.size(), size_t(1));
        QVERIFY(llama3->is_end(eot[0]));
        auto explicit_eot = load(write_vocab("llama-bpe", [&](GgufWriter& w) {
            w.set("tokenizer.ggml.eot_token_id",
                  GgufValue::u32(uint32_t(llama3->encode("x", false)[0])));
        }));
        QVERIFY(explicit_eot->is_end(llama3->encode("x", false)[0]));
        // Kimi K2's [EOT] ends a reply as llama.cpp's list of end markers has it.
        GgufWriter w;
        w.set("general.architecture", GgufValue::str("deepseek2"));
        test::set_bpe_test_vocab(w, "kimi-k2", {"[EOT]", "[PAD0]"});
        const std::string kimi_path = test::temp_dir() + "/kimi-vocab.gguf";
        w.write(kimi_path);
        auto kimi = load(kimi_path);
        QVERIFY(kimi->is_end(kimi->encode_special("[EOT]", false).at(0)));
        QVERIFY(!kimi->is_end(kimi->encode_special("[PAD0]", false).at(0)));
    }

    void malformed_vocabularies_are_refused_by_name() {
        QString e = error_of([] { load(write_vocab("grok-2")); });
        QVERIFY2(e.contains("\"grok-2\"") && e.contains("tokenizer.ggml.pre") &&
                     e.contains("llama-bpe") && e.contains("qwen2"),
                 qPrintable(e));
        e = error_of([] {
            load(write_vocab("llama-bpe", [](GgufWriter& w) { w.erase("tokenizer.ggml.pre"); }));
        });
        QVERIFY2(e.contains("pre-tokenizer \"\""), qPrintable(e));
        e = error_of([] {
            load(write_vocab("llama-bpe", [](GgufWriter& w) {
                w.set("tokenizer.ggml.merges",
                      GgufValue::array(GgufType::STRING,
                                       {GgufValue::str("Ġ t"), GgufValue::str("abc")}));
            }));
        });
        QVERIFY2(e.contains("merges entry 1 \"abc\""), qPrintable(e));
        e = error_of([] {
            load(write_vocab("llama-bpe", [](GgufWriter& w) { w.erase("tokenizer.ggml.merges"); }));
        });
        QVERIFY2(e.contains("tokenizer.ggml.merges"), qPrintable(e));
        e = error_of([] {
            load(write_vocab("llama-bpe", [](GgufWriter& w) {
                GgufFile f = GgufFile::open(write_vocab("llama-bpe"));
                auto tokens = *f.find("tokenizer.ggml.tokens")->as_array();
                tokens[10] = GgufValue::str("not-a-byte");  // byte 0x0A's stand-in "Ċ"
                w.set("tokenizer.ggml.tokens", GgufValue::array(GgufType::STRING, tokens));
            }));
        });
        QVERIFY2(e.contains("no piece for byte 0xa"), qPrintable(e));
        e = error_of([] {
            load(write_vocab("llama-bpe", [](GgufWriter& w) {
                w.set("tokenizer.ggml.model", GgufValue::str("t5"));
            }));
        });
        QVERIFY2(e.contains("\"t5\"") && e.contains("gpt2"), qPrintable(e));
    }
};

QTEST_GUILESS_MAIN(TestBpeTokenizer)
#include "test_bpe_tokenizer.moc"
