// Tokenization against llama.cpp's ids, the SentencePiece model-file path, byte fallback and
// streaming detokenization.
#include <QFile>
#include <sstream>

#include "engine/error.h"
#include "engine/gguf_file.h"
#include "engine/tokenizer.h"
#include "engine/utf8.h"
#include "tests/test_support.h"
#include "tests/tiny_model.h"

using namespace nqkv;

namespace {

std::string read_all(const std::string& path) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", path.c_str());
    return f.readAll().toStdString();
}

struct VocabVectors {
    std::vector<std::string> inputs;
    std::vector<std::vector<int>> ids;
};

VocabVectors load_vocab_vectors(const std::string& inp, const std::string& out) {
    VocabVectors v;
    const std::string text = read_all(inp), sep = "\n__ggml_vocab_test__\n";
    for (size_t pos = 0;;) {
        const size_t at = text.find(sep, pos);
        if (at == std::string::npos) {
            if (pos < text.size()) v.inputs.push_back(text.substr(pos));
            break;
        }
        v.inputs.push_back(text.substr(pos, at - pos));
        pos = at + sep.size();
    }
    std::istringstream lines(read_all(out));
    for (std::string line; std::getline(lines, line);) {
        std::istringstream ls(line);
        std::vector<int> ids;
        for (int id; ls >> id;) ids.push_back(id);
        v.ids.push_back(ids);
    }
    return v;
}

void check_vectors(const Tokenizer& tok, const VocabVectors& v) {
    QCOMPARE(v.inputs.size(), v.ids.size());
    QVERIFY(v.inputs.size() >= 40);
    for (size_t i = 0; i < v.inputs.size(); ++i) {
        const auto got = tok.encode(v.inputs[i], false);
        if (got != v.ids[i]) qWarning("input %zu: \"%s\"", i, v.inputs[i].c_str());
        QCOMPARE(got, v.ids[i]);
    }
}

}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

  private slots:
    void stories260k_matches_llama_cpp() {
        NQKV_REQUIRE_SHARED(model, "models/stories260K.gguf");
        NQKV_REQUIRE_SHARED(ref, "reference/tokenize.json");
        const GgufFile f = GgufFile::open(model);
        const auto tok = Tokenizer::from_gguf(f);
        QFile jf(QString::fromStdString(ref));
        QVERIFY(jf.open(QIODevice::ReadOnly));
        const QJsonArray cases = QJsonDocument::fromJson(jf.readAll()).array();
        QVERIFY(cases.size() >= 5);
        for (const auto& c : cases) {
            const QJsonObject o = c.toObject();
            const std::string input =
                QByteArray::fromHex(o["input_utf8_hex"].toString().toLatin1()).toStdString();
            QCOMPARE(tok->encode(input, true), test::to_ints(o["llama_tokenize_ids"]));
            QCOMPARE(tok->encode(input, false), test::to_ints(o["llama_tokenize_ids_no_bos"]));
            QCOMPARE(tok->decode(tok->encode(input, true)), input);  // every space survives
        }
    }

    void tokenizer_model_file_uses_its_own_normalizer() {
        NQKV_REQUIRE_SHARED(model, "models/tok512.model");
        NQKV_REQUIRE_SHARED(ref, "reference/tokenize.json");
        const auto tok = Tokenizer::from_model_file(model);
        QCOMPARE(tok->n_vocab(), 512);
        QFile jf(QString::fromStdString(ref));
        QVERIFY(jf.open(QIODevice::ReadOnly));
        for (const auto& c : QJsonDocument::fromJson(jf.readAll()).array()) {
            const QJsonObject o = c.toObject();
            const std::string input =
                QByteArray::fromHex(o["input_utf8_hex"].toString().toLatin1()).toStdString();
            QCOMPARE(tok->encode(input, false), test::to_ints(o["sentencepiece_py_ids_no_bos"]));
        }
    }

    void llama_vocab_gguf_matches_llama_cpp_vectors() {
        NQKV_REQUIRE_SHARED(model, "models/ggml-vocab-llama-spm.gguf");
        NQKV_REQUIRE_SHARED(inp, "models/ggml-vocab-llama-spm.gguf.inp");
        NQKV_REQUIRE_SHARED(out, "models/ggml-vocab-llama-spm.gguf.out");
        const GgufFile f = GgufFile::open(model);
        check_vectors(*Tokenizer::from_gguf(f), load_vocab_vectors(inp, out));
    }

    void llama2_tokenizer_model_matches_the_same_vectors() {
        NQKV_REQUIRE_SHARED(model, "models/llama2-tokenizer.model");
        NQKV_REQUIRE_SHARED(inp, "models/ggml-vocab-llama-spm.gguf.inp");
        NQKV_REQUIRE_SHARED(out, "models/ggml-vocab-llama-spm.gguf.out");
        check_vectors(*Tokenizer::from_model_file(model), load_vocab_vectors(inp, out));
    }

    void streaming_never_splits_a_character() {
        NQKV_REQUIRE_SHARED(model, "models/ggml-vocab-llama-spm.gguf");
        const GgufFile f = GgufFile::open(model);
        const auto tok = Tokenizer::from_gguf(f);
        // Emoji and rare CJK fall back to byte tokens, one UTF-8 byte each.
        const std::string text =
            "Hi \xF0\x9F\xA6\x99 and \xE1\x84\x80\xE1\x85\xA1 \xC3\xA9t\xC3\xA9!";
        const auto ids = tok->encode(text, true);
        int byte_tokens = 0;
        for (int id : ids) byte_tokens += tok->type(id) == PieceType::Byte;
        QVERIFY(byte_tokens >= 4);
        IncrementalDecoder dec(*tok, true);
        std::string joined;
        for (int id : ids) {
            const std::string piece = dec.push(id);
            QVERIFY(utf8_invalid_offset(piece) == std::string::npos);
            joined += piece;
        }
        joined += dec.flush();
        QCOMPARE(joined, text);
    }

    void incomplete_bytes_are_flushed_as_replacement() {
        NQKV_REQUIRE_SHARED(model, "models/ggml-vocab-llama-spm.gguf");
        const GgufFile f = GgufFile::open(model);
        const auto tok = Tokenizer::from_gguf(f);
        IncrementalDecoder dec(*tok);
        QCOMPARE(dec.push(3 + 0xF0), std::string());  // <0xF0> opens a 4-byte sequence
        QCOMPARE(dec.flush(), std::string("\xEF\xBF\xBD"));
    }

    void trained_tokenizer_round_trips_through_gguf() {
        // The tiny model's tokenizer: trained here with SentencePieceTrainer, stored as GGUF
        // arrays, rebuilt as a ModelProto. It must tokenize exactly as the .model file does
        // (that model keeps single spaces, so the two normalizers agree on this text).
        const auto from_file = Tokenizer::from_model_file(test::tiny_tokenizer_model());
        const GgufFile f = GgufFile::open(test::write_tiny_model({}));
        const auto from_gguf = Tokenizer::from_gguf(f);
        const std::string text =
            "Mia found 417 shells. Then there were 23 left, so the answer is 9.";
        QCOMPARE(from_gguf->encode(text, true), from_file->encode(text, true));
        const auto ids = from_gguf->encode("417", false);
        QCOMPARE(from_gguf->decode(ids), std::string("417"));
        for (int id : ids)
            QVERIFY(from_gguf->token_bytes(id).find_first_of("0123456789") ==
                    from_gguf->token_bytes(id).find_last_of("0123456789"));  // digits split
    }

    void invalid_utf8_is_rejected_with_position() {
        const GgufFile f = GgufFile::open(test::write_tiny_model({}));
        const auto tok = Tokenizer::from_gguf(f);
        QVERIFY_THROWS_EXCEPTION(Error, tok->encode("abc\xFF", true, "prompt"));
        std::string msg;
        try {
            tok->encode("ab\xE2\x82", true, "prompt.txt");
        } catch (const Error& e) {
            msg = e.what();
        }
        QCOMPARE(msg, std::string("prompt.txt: invalid UTF-8 at byte 2 (0xe2)"));
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
