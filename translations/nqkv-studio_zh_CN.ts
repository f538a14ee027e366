<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArReply</name>
    <message>
        <source>*No steps were written.*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRM %1, rethought</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRM %1, kept: no rethinks left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRM %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No final answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Candidate %1 of %2, chosen by its last PRM score; answers: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>not an AR-Sampling trace (nqkv.ar-trace/1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ArBar</name>
    <message>
        <source>Self-correct (AR-Sampling)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the reply step by step; a process reward model scores each step and a weak one is rethought</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRM…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the bundled PRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A step scoring below p is rethought</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rethinks allowed per step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Candidates; the one whose last step scores best is shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triggers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rethinks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bundled PRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The arithmetic PRM that ships with the app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default trigger: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a process reward model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trigger &quot;%1&quot; has no {n}, where the step number goes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger texts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appended after a step the PRM rejects, used in turn. {n} is the step number. Separate templates with a line holding only ---. Leave empty for the default.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::BlockHistogramPlot</name>
    <message>
        <source>original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dequantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fitted normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>density</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a block in the map or with the spin boxes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stored (originals not captured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 layer %2, token %3, block %4 (values %5–%6), %7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>. The original values of this token were not captured (the inspection buffer was full), so the stored values are shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: μ = %1, σ = %2, KS D = %3, p = %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; stored without a codebook.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; scale %1; MSE %2 (%3 of σ², N(0,1) limit %4)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::BlockInspector</name>
    <message>
        <source>K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>V</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KS statistic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MSE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute the statistic for every block the cache captured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer · block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map of %1 blocks (%2 layers × %3 blocks per row × %4 tokens). Click a cell to open its block.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a block first; there is nothing to export yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: could not be written.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ChatController</name>
    <message>
        <source>Interrupted: the app closed while this reply was being written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message could not be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reply failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ChatView</name>
    <message>
        <source>Type a message. Ctrl+Enter sends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::CompareView</name>
    <message>
        <source>The prompt every configuration answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reference: always run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mixes, e.g. k=nq4,v=nq2; k=nq8,v=nq4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KL divergence from fp16 (nats)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log-probability − fp16&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token of fp16&apos;s output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bytes/token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Δ% vs fp16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean KL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>top-1 = fp16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>diverges at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>context in budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save scored text…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a prompt first: every configuration answers the same one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparison failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 configurations, %2 prompt tokens, %3 tokens of fp16&apos;s output scored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(reference)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same as fp16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>diverges at token %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Perplexity as `%1`, on the text saved with the button.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KL(fp16 ‖ config), nats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Δ log p of fp16&apos;s token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save scored text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text (*.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ConversationList</name>
    <message>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ConversationSettingsDialog</name>
    <message>
        <source>Conversation settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional instructions sent before the conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 picks the most likely token every time (greedy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep generating past the end-of-text token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size the context to what fits in this much KV memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max reply tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>K format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>V format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV memory budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changing the KV layout rebuilds the cache at the next reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 per token, %2× smaller than fp16. Changing the KV layout rebuilds the cache at the next reply.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::EngineWorker</name>
    <message>
        <source>Reading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model is loaded. Open a GGUF model first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>*Candidate %1*</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::KvPanel</name>
    <message>
        <source>KV memory used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Against the same tokens in fp16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>V</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes per layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(budget)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(allocated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 instead of %2: %3× smaller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>K %1 (%2 bits/value), V %3 (%4 bits/value), block %5; %6 per token</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::MainWindow</name>
    <message>
        <source>NQKV Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AR trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare bit-widths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Later messages are replaced by a new reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as &amp;Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as &amp;JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;KV memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Block inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;AR trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Compare bit-widths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About NQKV Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About NQKV Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;NQKV Studio %1&lt;/b&gt;&lt;br&gt;Local LLM chat with a normal-quantile quantized KV cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes when NQKV Studio starts next time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a GGUF model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete &quot;%1&quot; and all its messages?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not a JSON object (%2 at byte %3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::MessageWidget</name>
    <message>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy this message as Markdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit this message and send it again (later messages are replaced)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard this reply and generate it again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ModelInfoPanel</name>
    <message>
        <source>No model loaded. Use &lt;b&gt;Model → Open model…&lt;/b&gt; to pick a GGUF file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers / width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 query, %2 KV, %3 dims each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens (trained for %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV per token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (fp16: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 = weights %2 + KV cache %3 for the full context</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nqkv::studio::TraceView</name>
    <message>
        <source>step (each attempt, in order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRM score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn on AR-Sampling in the bar above the chat; each reply&apos;s steps and scores are drawn here. Click a point to show its step in the chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trace could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>candidate %1 (chosen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>candidate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rethink</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No AR-Sampling reply yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 steps · %2 rethinks · %3 policy tokens · %4 PRM tokens · %5 s · p = %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>candidate %1 of %2 chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>writing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Step %1&lt;/b&gt; (candidate %2): PRM %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
