// Chat formats rendered as their models' Jinja templates render them (each checked with jinja2
// on the released template): Qwen3.5's, Nemotron 3's, Gemma 4's, GLM-4.5's and GLM-4.7's, with
// thinking on and off, through a chat session on a model carrying the template.
#include <QtTest>

#include "engine/chat_template.h"
#include "tests/model_checks.h"

using namespace nqkv;
using test::session_prompt;

namespace {

// A system prompt, an exchange whose reply reasoned first and a follow-up, with spaces around
// the texts: what the templates trim, keep or drop.
const std::vector<ChatMessage> kSpacedChat = {{"system", "  Be brief.  "},
                                              {"user", " What is 2+3? "},
                                              {"assistant", "<think>\nadd\n</think>\n\nIt is 5."},
                                              {"user", "And 4+4?"}};

}  // namespace

class TestChatTemplates : public QObject {
    Q_OBJECT

  private slots:
    // Qwen3.5's template (ChatML; checked with jinja2 on the released template): every message's
    // text trimmed, earlier replies as their answers, and the reply's reasoning opened unless
    // thinking is off, which closes it at once.
    void qwen35_renders_as_its_template() {
        const std::string tmpl =
            "{%- set content = render_content(message.content, true)|trim %}"
            "{{- '<|im_start|>' + message.role + '\\n' + content + '<|im_end|>' }}"
            "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}"
            "{%- if enable_thinking is defined and enable_thinking is false %}"
            "{{- '<think>\\n\\n</think>\\n\\n' }}{%- else %}{{- '<think>\\n' }}{%- endif %}"
            "{%- endif %}";
        const DetectedChatFormat d = detect_chat_format(tmpl);
        QCOMPARE(d.format, ChatFormat::ChatML);
        QCOMPARE(d.thinking, ThinkingPrompt::Opened);
        QVERIFY(d.trims_content);
        // Opened only where the default (the else branch) opens it, not when asked (an if).
        std::string asked = tmpl;
        asked.replace(asked.find("{%- else %}"), 11, "{%- if enable_thinking %}");
        QCOMPARE(detect_chat_format(asked).thinking, ThinkingPrompt::Switch);

        const std::string history =
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is "
            "2+3?<|im_end|>\n<|im_start|>assistant\nIt is 5.<|im_end|>\n<|im_start|>user\nAnd "
            "4+4?<|im_end|>\n<|im_start|>assistant\n";
        QCOMPARE(session_prompt(tmpl, "qwen35-chat", kSpacedChat), history + "<think>\n");
        QCOMPARE(session_prompt(tmpl, "qwen35-chat", kSpacedChat, false),
                 history + "<think>\n\n</think>\n\n");
    }

    // Nemotron 3's template (checked with jinja2 on the released template): ChatML with a system
    // turn always, messages as written, an earlier reply given back as an empty reasoning block
    // and what followed its reasoning; every reply opens its reasoning unless thinking is off.
    void nemotron3_renders_as_its_template() {
        const std::string tmpl =
            "{%- set truncate_history_thinking = truncate_history_thinking if "
            "truncate_history_thinking is defined else True %}{{- '<|im_start|>system\\n' }}";
        const DetectedChatFormat d = detect_chat_format(tmpl);
        QCOMPARE(d.format, ChatFormat::Nemotron3);
        QCOMPARE(d.thinking, ThinkingPrompt::Opened);
        QCOMPARE(*parse_chat_format("nemotron3"), ChatFormat::Nemotron3);
        const std::string history =
            "<|im_start|>system\n  Be brief.  <|im_end|>\n<|im_start|>user\n What is 2+3? "
            "<|im_end|>\n<|im_start|>assistant\n<think></think>\n\nIt is 5.<|im_end|>\n"
            "<|im_start|>user\nAnd 4+4?<|im_end|>\n<|im_start|>assistant\n";
        QCOMPARE(session_prompt(tmpl, "nemotron3-chat", kSpacedChat), history + "<think>\n");
        QCOMPARE(session_prompt(tmpl, "nemotron3-chat",
                                {{"user", "a"}, {"assistant", "b"}, {"user", "c"}}),
                 std::string("<|im_start|>system\n<|im_end|>\n<|im_start|>user\na<|im_end|>\n"
                             "<|im_start|>assistant\n<think></think>b<|im_end|>\n<|im_start|>"
                             "user\nc<|im_end|>\n<|im_start|>assistant\n<think>\n"));
        QCOMPARE(session_prompt(tmpl, "nemotron3-chat", kSpacedChat, false),
                 history + "<think></think>");
    }

    // Gemma 4's template (checked with jinja2 on the released 31B template and its interleaved
    // variant): a system turn with a system prompt or with thinking on (<|think|> first), turns
    // trimmed, earlier replies without their thought channel; thinking off closes an empty
    // channel after the reply's turn opens.
    void gemma4_renders_as_its_template() {
        const std::string tmpl = "{{- '<|turn>' + role + '\\n' }}{{- '<turn|>\\n' -}}";
        const DetectedChatFormat d = detect_chat_format(tmpl);
        QCOMPARE(d.format, ChatFormat::Gemma4);
        QCOMPARE(d.thinking, ThinkingPrompt::Switch);
        QCOMPARE(*parse_chat_format("gemma4"), ChatFormat::Gemma4);
        std::vector<ChatMessage> chat = kSpacedChat;
        chat[2].content = "<|channel>thought\nadd\n<channel|>It is 5.  ";
        const std::string turns =
            "<|turn>user\nWhat is 2+3?<turn|>\n<|turn>model\nIt is 5.<turn|>\n<|turn>user\n"
            "And 4+4?<turn|>\n<|turn>model\n";
        QCOMPARE(session_prompt(tmpl, "gemma4-chat", chat),
                 "<|turn>system\n<|think|>\nBe brief.<turn|>\n" + turns);
        QCOMPARE(session_prompt(tmpl, "gemma4-chat", chat, false),
                 "<|turn>system\nBe brief.<turn|>\n" + turns + "<|channel>thought\n<channel|>");
        QCOMPARE(session_prompt(tmpl, "gemma4-chat", {{"user", " Hi "}}, false),
                 std::string("<|turn>user\nHi<turn|>\n<|turn>model\n<|channel>thought\n"
                             "<channel|>"));
        QCOMPARE(session_prompt(tmpl, "gemma4-chat", {{"user", "Hi"}}),
                 std::string("<|turn>system\n<|think|>\n<turn|>\n<|turn>user\nHi<turn|>\n"
                             "<|turn>model\n"));
    }

    // GLM-4.5/4.6's and GLM-4.7's templates (checked with jinja2 on GLM-4.6's and
    // GLM-4.7-Flash's: three conversations, thinking on and off, 12 renders alike): told apart
    // from GLM-4's by <think> and from each other by GLM-4.5's /nothink; earlier replies as
    // their answers after an empty block; GLM-4.7 opens the reply's reasoning in the prompt.
    void glm_renders_as_its_templates() {
        const std::string glm45 =
            "[gMASK]<sop>{{- '/nothink' if (enable_thinking is defined and not enable_thinking) "
            "else '' -}}{{ '\\n<think></think>' }}";
        const std::string glm47 =
            "[gMASK]<sop>{{- '</think>' if (enable_thinking is defined and not enable_thinking) "
            "else '<think>' -}}";
        QCOMPARE(detect_chat_format(glm45).format, ChatFormat::Glm45);
        QCOMPARE(detect_chat_format(glm45).thinking, ThinkingPrompt::Switch);
        QCOMPARE(detect_chat_format(glm47).format, ChatFormat::Glm47);
        QCOMPARE(detect_chat_format(glm47).thinking, ThinkingPrompt::Opened);
        QCOMPARE(detect_chat_format(std::string("[gMASK]<sop><|user|>")).format, ChatFormat::Glm4);
        QCOMPARE(*parse_chat_format("glm45"), ChatFormat::Glm45);
        QCOMPARE(*parse_chat_format("glm47"), ChatFormat::Glm47);
        std::vector<ChatMessage> chat = kSpacedChat;
        chat[0].content = "Be brief.";
        chat[1].content = "What is 2+3?";
        QCOMPARE(session_prompt(glm45, "glm45-chat", chat),
                 std::string("[gMASK]<sop><|system|>\nBe brief.<|user|>\nWhat is 2+3?<|assistant|>"
                             "\n<think></think>\nIt is 5.<|user|>\nAnd 4+4?<|assistant|>"));
        QCOMPARE(session_prompt(glm45, "glm45-chat",
                                {{"user", "a /nothink"}, {"assistant", "b"}, {"user", "c"}}, false),
                 std::string("[gMASK]<sop><|user|>\na /nothink<|assistant|>\n<think></think>\nb"
                             "<|user|>\nc/nothink<|assistant|>\n<think></think>"));
        const std::string history =
            "[gMASK]<sop><|system|>Be brief.<|user|>What is 2+3?<|assistant|></think>It is 5."
            "<|user|>And 4+4?<|assistant|>";
        QCOMPARE(session_prompt(glm47, "glm47-chat", chat), history + "<think>");
        QCOMPARE(session_prompt(glm47, "glm47-chat", chat, false), history + "</think>");
        QCOMPARE(end_of_turn_strings(ChatFormat::Glm47),
                 (std::vector<std::string>{"<|user|>", "<|observation|>"}));
    }
};

QTEST_GUILESS_MAIN(TestChatTemplates)
#include "test_chat_templates.moc"
