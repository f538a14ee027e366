// The engine's JSON reader (the CLI's JSONL inputs): the grammar, escapes and surrogate pairs,
// numbers kept as written, and errors that name the input and the byte.
#include <QtTest>

#include "engine/error.h"
#include "engine/json_reader.h"

using namespace nqkv;

class TestJsonReader : public QObject {
    Q_OBJECT
  private slots:
    void readsTheGrammar() {
        // (No raw string literals in this file: moc does not read them.)
        const JsonValue v = parse_json(
            " {\"q\": \"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\", \"n\": -12.5e1, \"i\": 42, "
            "\"t\": true, \"f\": false, \"z\": null, \"a\": [1, [2, {}], []], \"o\": {\"k\": "
            "\"v\"}} ",
            "test");
        QCOMPARE(int(v.type), int(JsonValue::Object));
        QCOMPARE(QString::fromStdString(v.find("q")->text), QString("a\"b\\c\né😀"));
        QCOMPARE(v.find("n")->number, -125.0);
        QCOMPARE(QString::fromStdString(v.find("n")->text), QString("-12.5e1"));
        QCOMPARE(QString::fromStdString(v.find("i")->text), QString("42"));
        QVERIFY(v.find("t")->boolean);
        QCOMPARE(int(v.find("f")->type), int(JsonValue::Bool));
        QCOMPARE(int(v.find("z")->type), int(JsonValue::Null));
        QCOMPARE(int(v.find("a")->items.size()), 3);
        QCOMPARE(int(v.find("a")->items[1].items[1].type), int(JsonValue::Object));
        QCOMPARE(QString::fromStdString(v.find("o")->find("k")->text), QString("v"));
        QVERIFY(!v.find("missing"));
    }

    void errorsNameTheInputAndTheByte_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("trailing") << "{\"a\": 1} x"
                                  << "unexpected text after the value at byte 9";
        QTest::newRow("unclosed") << "{\"a\": 1"
                                  << "expected ',' or '}' at byte 7";
        QTest::newRow("bare key") << "{a: 1}"
                                  << "expected a key in quotes at byte 1";
        QTest::newRow("bad escape") << "[\"\\q\"]"
                                    << "unknown escape at byte 4";
        QTest::newRow("lone surrogate") << "[\"\\ud800\\u0041\"]"
                                        << "unpaired surrogate at byte 14";
        QTest::newRow("control") << "[\"a\tb\"]"
                                 << "control character in a string at byte 4";
        QTest::newRow("unterminated") << "[\"abc"
                                      << "unterminated string at byte 5";
        QTest::newRow("bad number") << "[1.]"
                                    << "expected digits after '.' at byte 3";
        QTest::newRow("empty") << ""
                               << "unexpected end at byte 0";
        QTest::newRow("deep") << QString(70, '[') << "nesting deeper than 64 at byte 65";
    }
    void errorsNameTheInputAndTheByte() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            parse_json(text.toStdString(), "in.jsonl:3");
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), "in.jsonl:3: " + message);
        }
    }
};

QTEST_GUILESS_MAIN(TestJsonReader)
#include "test_json_reader.moc"
