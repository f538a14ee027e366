<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArReply</name>
    <message>
        <source>*No steps were written.*</source>
        <translation>*没有写出任何步骤。*</translation>
    </message>
    <message>
        <source>Step %1.</source>
        <translation>第 %1 步。</translation>
    </message>
    <message>
        <source>PRM %1, rethought</source>
        <translation>PRM %1，已重新思考</translation>
    </message>
    <message>
        <source>PRM %1, kept: no rethinks left</source>
        <translation>PRM %1，保留：重新思考次数已用完</translation>
    </message>
    <message>
        <source>PRM %1</source>
        <translation>PRM %1</translation>
    </message>
    <message>
        <source>No final answer.</source>
        <translation>没有最终答案。</translation>
    </message>
    <message>
        <source>Answer: %1</source>
        <translation>答案：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Candidate %1 of %2, chosen by its last PRM score; answers: %3</source>
        <translation>候选 %1（共 %2 个），按最后一步的 PRM 分数选出；答案：%3</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
</context>
<context>
    <name>PictureFiles</name>
    <message>
        <source>%1: not a picture this program reads</source>
        <translation>%1：不是本程序能读取的图片</translation>
    </message>
    <message>
        <source>%1: cannot open the picture (%2)</source>
        <translation>%1：无法打开图片（%2）</translation>
    </message>
    <message>
        <source>%1: the file is larger than 64 MiB</source>
        <translation>%1：文件大于 64 MiB</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.tga *.psd *.pnm *.ppm *.pgm)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.gif *.tga *.psd *.pnm *.ppm *.pgm)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>not an AR-Sampling trace (nqkv.ar-trace/1)</source>
        <translation>不是 AR-Sampling 轨迹（nqkv.ar-trace/1）</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ArBar</name>
    <message>
        <source>Self-correct (AR-Sampling)</source>
        <translation>自我纠正（AR-Sampling）</translation>
    </message>
    <message>
        <source>Write the reply step by step; a process reward model scores each step and a weak one is rethought</source>
        <translation>逐步写出回答；过程奖励模型为每一步打分，较弱的步骤会被重新思考</translation>
    </message>
    <message>
        <source>PRM…</source>
        <translation>PRM…</translation>
    </message>
    <message>
        <source>Use the bundled PRM</source>
        <translation>使用内置 PRM</translation>
    </message>
    <message>
        <source>A step scoring below p is rethought</source>
        <translation>得分低于 p 的步骤会被重新思考</translation>
    </message>
    <message>
        <source>Rethinks allowed per step</source>
        <translation>每步允许的重新思考次数</translation>
    </message>
    <message>
        <source>Candidates; the one whose last step scores best is shown</source>
        <translation>候选数；显示最后一步得分最高的候选</translation>
    </message>
    <message>
        <source>Triggers…</source>
        <translation>触发语…</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>rethinks</source>
        <translation>重新思考</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>bundled PRM</source>
        <translation>内置 PRM</translation>
    </message>
    <message>
        <source>The arithmetic PRM that ships with the app</source>
        <translation>随应用提供的算术 PRM</translation>
    </message>
    <message>
        <source>Default trigger: %1</source>
        <translation>默认触发语：%1</translation>
    </message>
    <message>
        <source>Choose a process reward model</source>
        <translation>选择过程奖励模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The trigger &quot;%1&quot; has no {n}, where the step number goes.</source>
        <translation>触发语“%1”中没有表示步骤编号的 {n}。</translation>
    </message>
    <message>
        <source>Trigger texts</source>
        <translation>触发语文本</translation>
    </message>
    <message>
        <source>Appended after a step the PRM rejects, used in turn. {n} is the step number. Separate templates with a line holding only ---. Leave empty for the default.</source>
        <translation>在 PRM 否决的步骤之后追加，依次使用。{n} 为步骤编号。模板之间用只含 --- 的一行分隔。留空则使用默认值。</translation>
    </message>
    <message>
        <source>What the PRM reads</source>
        <translation>PRM 读取的格式</translation>
    </message>
    <message>
        <source>Automatic (from the PRM file)</source>
        <translation>自动（由 PRM 文件决定）</translation>
    </message>
    <message>
        <source>Math-Shepherd: each step followed by &quot; ки&quot;</source>
        <translation>Math-Shepherd：每一步后接 &quot; ки&quot;</translation>
    </message>
    <message>
        <source>Chat turns: each step a user turn (RLHFlow, Llama 3)</source>
        <translation>对话轮次：每一步作为一轮用户消息（RLHFlow、Llama 3）</translation>
    </message>
    <message>
        <source>rethink differs</source>
        <translation>重想须不同</translation>
    </message>
    <message>
        <source>A rethought step may not repeat the rejected one where the policy was least sure of it: at that token it takes its next choice. A second rethink of a step is written after its first trigger again, barred from each rejected version&apos;s weakest token. Off: the rethink may write the same step again, and a second one reads every version before it.</source>
        <translation>重想的步骤不得在策略模型最没把握之处重复被否决的步骤：在该词元处改取其下一个选择。同一步骤的第二次重想会重新从它的第一个触发句之后写起，并避开每个被否决版本中最没把握的词元。关闭时：重想可以再写出同样的步骤，第二次重想会读到之前的每个版本。</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::BlockHistogramPlot</name>
    <message>
        <source>original</source>
        <translation>原始值</translation>
    </message>
    <message>
        <source>dequantized</source>
        <translation>反量化值</translation>
    </message>
    <message>
        <source>fitted normal</source>
        <translation>拟合正态分布</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>density</source>
        <translation>密度</translation>
    </message>
    <message>
        <source>Pick a block in the map or with the spin boxes.</source>
        <translation>在热图中或用数字框选择一个块。</translation>
    </message>
    <message>
        <source>stored (originals not captured)</source>
        <translation>存储值（未捕获原始值）</translation>
    </message>
    <message>
        <source>%1 layer %2, token %3, block %4 (values %5–%6), %7</source>
        <translation>%1 第 %2 层，词元 %3，块 %4（数值 %5–%6），%7</translation>
    </message>
    <message>
        <source>. The original values of this token were not captured (the inspection buffer was full), so the stored values are shown.</source>
        <translation>。此词元的原始值未被捕获（检查缓冲区已满），因此显示存储值。</translation>
    </message>
    <message>
        <source>: μ = %1, σ = %2, KS D = %3, p = %4</source>
        <translation>：μ = %1，σ = %2，KS D = %3，p = %4</translation>
    </message>
    <message>
        <source>; stored without a codebook.</source>
        <translation>；未使用码本存储。</translation>
    </message>
    <message>
        <source>; scale %1; MSE %2 (%3 of σ², N(0,1) limit %4)</source>
        <translation>；缩放 %1；MSE %2（σ² 的 %3，N(0,1) 极限 %4）</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::BlockInspector</name>
    <message>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <source>V</source>
        <translation>V</translation>
    </message>
    <message>
        <source>KS statistic</source>
        <translation>KS 统计量</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Map blocks</source>
        <translation>生成块热图</translation>
    </message>
    <message>
        <source>Compute the statistic for every block the cache captured</source>
        <translation>为缓存捕获的每个块计算统计量</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>layer · block</source>
        <translation>层 · 块</translation>
    </message>
    <message>
        <source>Show block</source>
        <translation>显示块</translation>
    </message>
    <message>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>块</translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>导出：</translation>
    </message>
    <message>
        <source>Map of %1 blocks (%2 layers × %3 blocks per row × %4 tokens). Click a cell to open its block.</source>
        <translation>%1 个块的热图（%2 层 × 每行 %3 块 × %4 个词元）。点击单元格打开对应的块。</translation>
    </message>
    <message>
        <source>Pick a block first; there is nothing to export yet.</source>
        <translation>请先选择一个块；目前没有可导出的内容。</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Export block</source>
        <translation>导出块</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>%1: could not be written.</source>
        <translation>%1：无法写入。</translation>
    </message>
    <message>
        <source>This model&apos;s values are part of its keys (multi-head latent attention): its cache has no V blocks</source>
        <translation>此模型的值是其键的一部分（多头潜在注意力）：其缓存没有 V 块</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ChatController</name>
    <message>
        <source>Interrupted: the app closed while this reply was being written.</source>
        <translation>已中断：写这条回复时应用被关闭。</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Chat database</source>
        <translation>对话数据库</translation>
    </message>
    <message>
        <source>The message could not be saved: %1</source>
        <translation>无法保存消息：%1</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>The reply failed</source>
        <translation>回复失败</translation>
    </message>
    <message>
        <source>The model did not read the oldest message: the conversation outgrew its context.</source>
        <translation>模型未读取最早的一条消息：对话已超出其上下文。</translation>
    </message>
    <message>
        <source>The model did not read the %1 oldest messages: the conversation outgrew its context.</source>
        <translation>模型未读取最早的 %1 条消息：对话已超出其上下文。</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ChatView</name>
    <message>
        <source>Type a message. Ctrl+Enter sends.</source>
        <translation>输入消息。Ctrl+Enter 发送。</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Picture…</source>
        <translation>图片…</translation>
    </message>
    <message>
        <source>Pictures for the next message</source>
        <translation>下一条消息的图片</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Send the next message without these pictures</source>
        <translation>发送下一条消息时不带这些图片</translation>
    </message>
    <message>
        <source>Pictures for the next message: %1</source>
        <translation>下一条消息的图片：%1</translation>
    </message>
    <message>
        <source>Show the model a picture with the next message (or drop or paste one here)</source>
        <translation>随下一条消息向模型展示一张图片（或将图片拖放或粘贴到这里）</translation>
    </message>
    <message>
        <source>The pasted picture</source>
        <translation>粘贴的图片</translation>
    </message>
    <message>
        <source>Pictures waiting for a model that reads them: %1</source>
        <translation>等待能读取图片的模型的图片：%1</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::CompareView</name>
    <message>
        <source>The prompt every configuration answers</source>
        <translation>每种配置都要回答的提示</translation>
    </message>
    <message>
        <source>The reference: always run</source>
        <translation>参照：始终运行</translation>
    </message>
    <message>
        <source>mixes, e.g. k=nq4,v=nq2; k=nq8,v=nq4</source>
        <translation>混合配置，例如 k=nq4,v=nq2; k=nq8,v=nq4</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <source>KL divergence from fp16 (nats)</source>
        <translation>相对 fp16 的 KL 散度（nats）</translation>
    </message>
    <message>
        <source>log-probability − fp16&apos;s</source>
        <translation>对数概率 − fp16 的对数概率</translation>
    </message>
    <message>
        <source>token of fp16&apos;s output</source>
        <translation>fp16 输出的词元</translation>
    </message>
    <message>
        <source>KV bytes</source>
        <translation>KV 字节数</translation>
    </message>
    <message>
        <source>KV</source>
        <translation>KV</translation>
    </message>
    <message>
        <source>bytes/token</source>
        <translation>字节/词元</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Δ% vs fp16</source>
        <translation>相对 fp16 的 Δ%</translation>
    </message>
    <message>
        <source>mean KL</source>
        <translation>平均 KL</translation>
    </message>
    <message>
        <source>top-1 = fp16</source>
        <translation>top-1 与 fp16 相同</translation>
    </message>
    <message>
        <source>diverges at</source>
        <translation>分歧位置</translation>
    </message>
    <message>
        <source>context in budget</source>
        <translation>预算内的上下文</translation>
    </message>
    <message>
        <source>Save scored text…</source>
        <translation>保存评分文本…</translation>
    </message>
    <message>
        <source>Type a prompt first: every configuration answers the same one.</source>
        <translation>请先输入提示：每种配置回答同一个提示。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Comparison failed: %1</source>
        <translation>比较失败：%1</translation>
    </message>
    <message>
        <source>%1 configurations, %2 prompt tokens, %3 tokens of fp16&apos;s output scored</source>
        <translation>%1 种配置，%2 个提示词元，对 fp16 输出的 %3 个词元评分</translation>
    </message>
    <message>
        <source>(reference)</source>
        <translation>（参照）</translation>
    </message>
    <message>
        <source>same as fp16</source>
        <translation>与 fp16 相同</translation>
    </message>
    <message>
        <source>diverges at token %1</source>
        <translation>在第 %1 个词元处分歧</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <source>Perplexity as `%1`, on the text saved with the button.</source>
        <translation>困惑度与 `%1` 相同，使用按钮保存的文本。</translation>
    </message>
    <message>
        <source>KL(fp16 ‖ config), nats</source>
        <translation>KL(fp16 ‖ 配置)，nats</translation>
    </message>
    <message>
        <source>Δ log p of fp16&apos;s token</source>
        <translation>fp16 词元的 Δ log p</translation>
    </message>
    <message>
        <source>Save scored text</source>
        <translation>保存评分文本</translation>
    </message>
    <message>
        <source>Text (*.txt)</source>
        <translation>文本 (*.txt)</translation>
    </message>
    <message>
        <source>%1 could not be written.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Picture…</source>
        <translation>图片…</translation>
    </message>
    <message>
        <source>Show the model a picture with the prompt</source>
        <translation>随提示向模型展示一张图片</translation>
    </message>
    <message>
        <source>Pictures for the prompt</source>
        <translation>提示的图片</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Compare without these pictures</source>
        <translation>不带这些图片进行比较</translation>
    </message>
    <message>
        <source>With the prompt: %1</source>
        <translation>随提示：%1</translation>
    </message>
    <message>
        <source>Pictures waiting for a model that reads them: %1</source>
        <translation>等待能读取图片的模型的图片：%1</translation>
    </message>
    <message>
        <source>Pictures from the last session left out: %1</source>
        <translation>上次会话的图片未能载入：%1</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <source>Everything this comparison measured, as nqkv compare --json writes it</source>
        <translation>此次比较测得的全部结果，格式与 nqkv compare --json 相同</translation>
    </message>
    <message>
        <source>Export comparison</source>
        <translation>导出比较结果</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Open JSON…</source>
        <translation>打开 JSON…</translation>
    </message>
    <message>
        <source>Show a comparison exported before, or written by nqkv compare --json</source>
        <translation>显示之前导出的或由 nqkv compare --json 写出的比较</translation>
    </message>
    <message>
        <source>Open comparison</source>
        <translation>打开比较</translation>
    </message>
    <message>
        <source>From %1, model %2: %3</source>
        <translation>来自 %1，模型 %2：%3</translation>
    </message>
    <message>
        <source>(not kept for the next session: %1)</source>
        <translation>（未为下次会话保留：%1）</translation>
    </message>
    <message>
        <source>A comparison is running; open %1 when it is done.</source>
        <translation>比较正在运行；完成后再打开 %1。</translation>
    </message>
    <message>
        <source>%1 could not be read.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <source>the last session</source>
        <translation>上次会话</translation>
    </message>
    <message>
        <source>The last comparison could not be shown again: %1</source>
        <translation>无法再次显示上次的比较：%1</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ConversationList</name>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ConversationSettingsDialog</name>
    <message>
        <source>Conversation settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <source>Optional instructions sent before the conversation</source>
        <translation>在对话之前发送的可选指令</translation>
    </message>
    <message>
        <source>0 picks the most likely token every time (greedy)</source>
        <translation>0 表示每次都选概率最高的词元（贪心）</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Keep generating past the end-of-text token</source>
        <translation>越过文本结束词元继续生成</translation>
    </message>
    <message>
        <source>model default</source>
        <translation>模型默认值</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Size the context to what fits in this much KV memory</source>
        <translation>按此 KV 内存能容纳的大小设置上下文</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Max reply tokens</source>
        <translation>回复最大词元数</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
    <message>
        <source>K format</source>
        <translation>K 格式</translation>
    </message>
    <message>
        <source>V format</source>
        <translation>V 格式</translation>
    </message>
    <message>
        <source>Block size</source>
        <translation>块大小</translation>
    </message>
    <message>
        <source>Context tokens</source>
        <translation>上下文词元数</translation>
    </message>
    <message>
        <source>KV memory budget</source>
        <translation>KV 内存预算</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示</translation>
    </message>
    <message>
        <source>Changing the KV layout rebuilds the cache at the next reply.</source>
        <translation>更改 KV 布局会在下次回复时重建缓存。</translation>
    </message>
    <message>
        <source>%1 per token, %2× smaller than fp16. Changing the KV layout rebuilds the cache at the next reply.</source>
        <translation>每个词元 %1，比 fp16 小 %2 倍。更改 KV 布局会在下次回复时重建缓存。</translation>
    </message>
    <message>
        <source>Leave out the oldest messages</source>
        <translation>省略最早的消息</translation>
    </message>
    <message>
        <source>Stop with a message</source>
        <translation>停止并提示</translation>
    </message>
    <message>
        <source>What a reply does when the conversation no longer fits the context. Left-out messages stay in the conversation; only the model no longer reads them.</source>
        <translation>对话超出上下文时回复的处理方式。被省略的消息仍保留在对话中，只是模型不再读取它们。</translation>
    </message>
    <message>
        <source>When the context is full</source>
        <translation>上下文已满时</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>How long gpt-oss reasons before it answers (its system message&apos;s &quot;Reasoning:&quot;); other models ignore it</source>
        <translation>gpt-oss 回答前推理的时长（其系统消息中的 &quot;Reasoning:&quot;）；其他模型会忽略此项</translation>
    </message>
    <message>
        <source>Reasoning effort (gpt-oss)</source>
        <translation>推理强度（gpt-oss）</translation>
    </message>
    <message>
        <source>Reason before answering</source>
        <translation>回答前先推理</translation>
    </message>
    <message>
        <source>Off: the reply starts with an empty &lt;think&gt;&lt;/think&gt; block, as Qwen3&apos;s template does when thinking is off, and the model answers directly. Only models whose template has a way to ask for this take it (Qwen3, SmolLM3, QwQ, later DeepSeek-R1 releases); others ignore it.</source>
        <translation>关闭：回复以一个空的 &lt;think&gt;&lt;/think&gt; 块开头（与 Qwen3 模板关闭思考时相同），模型直接作答。只有模板支持此选项的模型才会采用（Qwen3、SmolLM3、QwQ、较新的 DeepSeek-R1 版本）；其他模型忽略它。</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>When empty, use the model&apos;s default system prompt</source>
        <translation>为空时使用模型的默认系统提示</translation>
    </message>
    <message>
        <source>This model&apos;s chat template has no default system prompt.</source>
        <translation>此模型的聊天模板没有默认系统提示。</translation>
    </message>
    <message>
        <source>The model&apos;s template writes this when a conversation has no system prompt (%1 characters; every reply reads it):</source>
        <translation>对话没有系统提示时，模型的模板会写入以下内容（%1 个字符；每次回复都会读取）：</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::EngineWorker</name>
    <message>
        <source>Reading %1</source>
        <translation>正在读取 %1</translation>
    </message>
    <message>
        <source>Loading was cancelled.</source>
        <translation>加载已取消。</translation>
    </message>
    <message>
        <source>Checking the model</source>
        <translation>正在检查模型</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>No model is loaded. Open a GGUF model first.</source>
        <translation>尚未加载模型。请先打开一个 GGUF 模型。</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>*Candidate %1*</source>
        <translation>*候选 %1*</translation>
    </message>
    <message>
        <source>no GPU: %1</source>
        <translation>无 GPU：%1</translation>
    </message>
    <message>
        <source>%1, replies begin with “%2”</source>
        <translation>%1，回复以“%2”开头</translation>
    </message>
    <message>
        <source>This model cannot read pictures: no vision projector (mmproj*.gguf) that fits it is beside it.</source>
        <translation>此模型无法读取图片：它旁边没有与之匹配的视觉投影器（mmproj*.gguf）。</translation>
    </message>
    <message>
        <source>picture %1</source>
        <translation>图片 %1</translation>
    </message>
    <message>
        <source>Reading picture %1 of %2: layer %3 of %4</source>
        <translation>正在读取第 %1/%2 张图片：第 %3/%4 层</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>请先打开一个模型。</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::KvPanel</name>
    <message>
        <source>KV memory used</source>
        <translation>已用 KV 内存</translation>
    </message>
    <message>
        <source>Against the same tokens in fp16</source>
        <translation>与相同词元的 fp16 相比</translation>
    </message>
    <message>
        <source>Tokens cached</source>
        <translation>已缓存词元</translation>
    </message>
    <message>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <source>V</source>
        <translation>V</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>Bytes per layer</source>
        <translation>每层字节数</translation>
    </message>
    <message>
        <source>%1 of %2 %3</source>
        <translation>%1 / %2 %3</translation>
    </message>
    <message>
        <source>(budget)</source>
        <translation>（预算）</translation>
    </message>
    <message>
        <source>(allocated)</source>
        <translation>（已分配）</translation>
    </message>
    <message>
        <source>%1 instead of %2: %3× smaller</source>
        <translation>%1，而不是 %2：小 %3 倍</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>K %1 (%2 bits/value), V %3 (%4 bits/value), block %5; %6 per token</source>
        <translation>K %1（%2 位/值），V %3（%4 位/值），块 %5；每个词元 %6</translation>
    </message>
    <message>
        <source>%1 windowed layers keep only the latest %2 tokens</source>
        <translation>%1 个窗口层（滑动窗口或分块）只保留最近的 %2 个词元</translation>
    </message>
    <message>
        <source>K %1 (%2 bits/value; the values are the keys&apos; latent part), block %3; %4 per token</source>
        <translation>K %1（%2 位/值；值即键的潜在部分），块 %3；每个 token %4</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::MainWindow</name>
    <message>
        <source>NQKV Studio</source>
        <translation>NQKV Studio</translation>
    </message>
    <message>
        <source>KV memory</source>
        <translation>KV 内存</translation>
    </message>
    <message>
        <source>AR trace</source>
        <translation>AR 轨迹</translation>
    </message>
    <message>
        <source>Block inspector</source>
        <translation>块检查器</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Compare bit-widths</source>
        <translation>比较位宽</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <source>Later messages are replaced by a new reply.</source>
        <translation>之后的消息将被新的回复替换。</translation>
    </message>
    <message>
        <source>Chat database</source>
        <translation>对话数据库</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Export as &amp;Markdown…</source>
        <translation>导出为 &amp;Markdown…</translation>
    </message>
    <message>
        <source>Export as &amp;JSON…</source>
        <translation>导出为 &amp;JSON…</translation>
    </message>
    <message>
        <source>&amp;Import JSON…</source>
        <translation>导入 JSON(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;KV memory</source>
        <translation>KV 内存(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Block inspector</source>
        <translation>块检查器(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;AR trace</source>
        <translation>AR 轨迹(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Model info</source>
        <translation>模型信息(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Compare bit-widths</source>
        <translation>比较位宽(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About NQKV Studio</source>
        <translation>关于 NQKV Studio(&amp;A)</translation>
    </message>
    <message>
        <source>About NQKV Studio</source>
        <translation>关于 NQKV Studio</translation>
    </message>
    <message>
        <source>&lt;b&gt;NQKV Studio %1&lt;/b&gt;&lt;br&gt;Local LLM chat with a normal-quantile quantized KV cache.</source>
        <translation>&lt;b&gt;NQKV Studio %1&lt;/b&gt;&lt;br&gt;使用正态分位数量化 KV 缓存的本地大模型对话。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language changes when NQKV Studio starts next time.</source>
        <translation>语言将在 NQKV Studio 下次启动时更改。</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>%1

%2</source>
        <translation>%1

%2</translation>
    </message>
    <message>
        <source>Open a GGUF model</source>
        <translation>打开 GGUF 模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <source>Delete &quot;%1&quot; and all its messages?</source>
        <translation>删除“%1”及其所有消息吗？</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Import conversation</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <source>JSON (*.json);;All files (*)</source>
        <translation>JSON (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>%1: not a JSON object (%2 at byte %3)</source>
        <translation>%1：不是 JSON 对象（第 %3 字节处：%2）</translation>
    </message>
    <message>
        <source>&amp;Backend</source>
        <translation>后端(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Automatic (CUDA when a GPU is usable)</source>
        <translation>自动(&amp;A)（有可用 GPU 时使用 CUDA）</translation>
    </message>
    <message>
        <source>&amp;CPU</source>
        <translation>&amp;CPU</translation>
    </message>
    <message>
        <source>C&amp;UDA</source>
        <translation>C&amp;UDA</translation>
    </message>
    <message>
        <source>Last reply: read %1 prompt tokens (%2 more were already in the cache) in %3 s, wrote %4 tokens in %5 s</source>
        <translation>上一条回复：读取 %1 个提示词元（另有 %2 个已在缓存中），用时 %3 秒；写出 %4 个词元，用时 %5 秒</translation>
    </message>
    <message>
        <source>Could not open the vision projector</source>
        <translation>无法打开视觉投影器</translation>
    </message>
    <message>
        <source>Open vision &amp;projector…</source>
        <translation>打开视觉投影器(&amp;P)…</translation>
    </message>
    <message>
        <source>Vision projector for the model</source>
        <translation>模型的视觉投影器</translation>
    </message>
    <message>
        <source>Vision projectors (*.gguf)</source>
        <translation>视觉投影器 (*.gguf)</translation>
    </message>
    <message>
        <source>It was the projector last used with this model; it will not be opened with the model again.</source>
        <translation>这是上次与此模型一起使用的投影器；以后不会再随此模型打开它。</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::MessageWidget</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this message as Markdown</source>
        <translation>以 Markdown 格式复制此消息</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit this message and send it again (later messages are replaced)</source>
        <translation>编辑此消息并重新发送（之后的消息将被替换）</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Discard this reply and generate it again</source>
        <translation>丢弃此回复并重新生成</translation>
    </message>
    <message>
        <source>not in the model&apos;s context</source>
        <translation>已不在模型的上下文中</translation>
    </message>
    <message>
        <source>The conversation outgrew the context: the model no longer reads this message.</source>
        <translation>对话已超出上下文：模型不再读取这条消息。</translation>
    </message>
    <message>
        <source>Show or hide how the model reasoned before answering</source>
        <translation>显示或隐藏模型回答前的推理过程</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <source>Reasoning (%1 words)</source>
        <translation>推理过程（%1 个词）</translation>
    </message>
    <message>
        <source>[picture]</source>
        <translation>[图片]</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ModelInfoPanel</name>
    <message>
        <source>No model loaded. Use &lt;b&gt;Model → Open model…&lt;/b&gt; to pick a GGUF file.</source>
        <translation>尚未加载模型。使用&lt;b&gt;模型 → 打开模型…&lt;/b&gt;选择一个 GGUF 文件。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>%1 (%2 bits per weight)</source>
        <translation>%1（每个权重 %2 位）</translation>
    </message>
    <message>
        <source>Weight types</source>
        <translation>权重类型</translation>
    </message>
    <message>
        <source>Layers / width</source>
        <translation>层数 / 宽度</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>%1 query, %2 KV, %3 dims each</source>
        <translation>%1 个查询头，%2 个 KV 头，每个 %3 维</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>Chat format</source>
        <translation>对话格式</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>%1 tokens (trained for %2)</source>
        <translation>%1 个词元（训练长度 %2）</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>KV per token</source>
        <translation>每词元 KV</translation>
    </message>
    <message>
        <source>%1 (fp16: %2)</source>
        <translation>%1（fp16：%2）</translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation>所需内存</translation>
    </message>
    <message>
        <source>%1 = weights %2 + KV cache %3 for the full context</source>
        <translation>%1 = 权重 %2 + 完整上下文的 KV 缓存 %3</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>%1 of %2 layers see only the latest %3 tokens</source>
        <translation>%2 层中有 %1 层只看最近的 %3 个词元</translation>
    </message>
    <message>
        <source>Softcapping</source>
        <translation>软截断</translation>
    </message>
    <message>
        <source>attention scores %1, logits %2</source>
        <translation>注意力分数 %1，logits %2</translation>
    </message>
    <message>
        <source>their cache keeps the latest %1</source>
        <translation>其缓存保留最近的 %1 个</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>%1, %2 used per token</source>
        <translation>%1 个，每个词元使用 %2 个</translation>
    </message>
    <message>
        <source>Matrix products</source>
        <translation>矩阵乘法</translation>
    </message>
    <message>
        <source>integer dot products for %1: activations rounded to 8-bit blocks, as llama.cpp does</source>
        <translation>%1 使用整数点积：激活值按 8 位块舍入，与 llama.cpp 相同</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>base %1</source>
        <translation>基数 %1</translation>
    </message>
    <message>
        <source>positions divided by %1</source>
        <translation>位置除以 %1</translation>
    </message>
    <message>
        <source>YaRN with factor %1</source>
        <translation>YaRN，因子 %1</translation>
    </message>
    <message>
        <source>per-pair frequency factors</source>
        <translation>逐对频率因子</translation>
    </message>
    <message>
        <source>not applied in %1 of %2 layers</source>
        <translation>%2 层中有 %1 层不使用</translation>
    </message>
    <message>
        <source>RoPE</source>
        <translation>RoPE</translation>
    </message>
    <message>
        <source>Multipliers</source>
        <translation>乘数</translation>
    </message>
    <message>
        <source>embeddings %1, block outputs %2, logits divided by %3</source>
        <translation>嵌入 %1，块输出 %2，logits 除以 %3</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>its template can ask for answers without reasoning (conversation settings)</source>
        <translation>其模板可要求不经推理直接回答（对话设置）</translation>
    </message>
    <message>
        <source>its template opens every reply with reasoning (conversation settings can skip it)</source>
        <translation>其模板让每个回复都以推理开头（可在对话设置中跳过）</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>%1 of %2 layers mix tokens with a %3-tap short convolution instead of attention; the KV cache holds the other %4 layers, numbered 0 to %5 among themselves</source>
        <translation>%2 层中有 %1 层用 %3 抽头的短卷积代替注意力来混合词元；KV 缓存只保存其余 %4 层，按 0 到 %5 单独编号</translation>
    </message>
    <message>
        <source>+ convolution inputs %1</source>
        <translation>+ 卷积输入 %1</translation>
    </message>
    <message>
        <source>Mamba-2</source>
        <translation>Mamba-2</translation>
    </message>
    <message>
        <source>+ Mamba-2 state and its snapshots %1</source>
        <translation>+ Mamba-2 状态及其快照 %1</translation>
    </message>
    <message>
        <source>Default system prompt</source>
        <translation>默认系统提示</translation>
    </message>
    <message>
        <source>%1 characters, used when a conversation has none (conversation settings): “%2”</source>
        <translation>%1 个字符，在对话没有系统提示时使用（对话设置）：“%2”</translation>
    </message>
    <message>
        <source>multimodal (sections %1; text turns as plain RoPE, the fourth section&apos;s pairs not at all)</source>
        <translation>多模态（分段 %1；文本按普通 RoPE 旋转，第四段的维度对不旋转）</translation>
    </message>
    <message>
        <source>%1 of %2 layers are Mamba-2 state-space mixers instead of attention (a state of %3 per channel, kept from token to token); the KV cache holds the attention layers (%4), numbered 0 to %5 among themselves</source>
        <translation>%2 层中有 %1 层是 Mamba-2 状态空间混合层而非注意力层（每个通道 %3 维状态，逐 token 延续）；KV 缓存保存注意力层（%4 层），在其间编号为 0 到 %5</translation>
    </message>
    <message>
        <source>Gated DeltaNet</source>
        <translation>门控 DeltaNet</translation>
    </message>
    <message>
        <source>%1 of %2 layers are gated delta nets (linear attention) instead of attention (%3 heads, each with a %4 × %4 state kept from token to token); the KV cache holds the attention layers (%5), numbered 0 to %6 among themselves</source>
        <translation>%2 层中有 %1 层是门控 delta 网络（线性注意力）而非注意力（%3 个头，每个头有一个 %4 × %4 的状态，逐词元保留）；KV 缓存只保存注意力层（%5 层），在其内部编号为 0 到 %6</translation>
    </message>
    <message>
        <source>Gated heads</source>
        <translation>门控注意力头</translation>
    </message>
    <message>
        <source>each attention head&apos;s output is multiplied by the sigmoid of its own gates before the output projection</source>
        <translation>每个注意力头的输出在输出投影之前乘以其自身门值的 sigmoid</translation>
    </message>
    <message>
        <source>+ Gated DeltaNet state and its snapshots %1</source>
        <translation>+ 门控 DeltaNet 状态及其快照 %1</translation>
    </message>
    <message>
        <source>%1 query; %2 KV of %3 dims in the full-attention layers, %4 KV of %5 dims in the windowed ones</source>
        <translation>%1 个 query；全注意力层 %2 个 KV，每个 %3 维；窗口层 %4 个 KV，每个 %5 维</translation>
    </message>
    <message>
        <source>Shared KV</source>
        <translation>共享 KV</translation>
    </message>
    <message>
        <source>the last %1 layers attend to the keys and values of earlier layers and keep none of their own</source>
        <translation>最后 %1 层使用前面层的 key 和 value，自身不保存</translation>
    </message>
    <message>
        <source>Per-layer inputs</source>
        <translation>逐层输入</translation>
    </message>
    <message>
        <source>each layer also reads a vector of %1 per token, from an embedding table of its own</source>
        <translation>每层还从自己的嵌入表中为每个 token 读取一个 %1 维向量</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>each with its own heads and feed-forward width: %1 of %2 attend (the KV cache holds them), %3 have one projection instead of attention, %4 no attention, %5 no feed-forward</source>
        <translation>每层有各自的头数和前馈宽度：%2 层中有 %1 层使用注意力（KV 缓存保存这些层），%3 层以单个投影代替注意力，%4 层没有注意力，%5 层没有前馈</translation>
    </message>
    <message>
        <source>gates through ReLU, routed on each layer&apos;s input</source>
        <translation>门控经过 ReLU，按每层的输入路由</translation>
    </message>
    <message>
        <source>AltUp</source>
        <translation>AltUp</translation>
    </message>
    <message>
        <source>%1 streams: each layer computes on a prediction of the first and corrects all of them with its output; LAuReL of rank %2 beside attention; sparse feed-forward gates in %3 of %4 layers</source>
        <translation>%1 个流：每层基于第一个流的预测进行计算，并用其输出校正所有流；注意力旁有秩为 %2 的 LAuReL；%4 层中有 %3 层的前馈门控是稀疏的</translation>
    </message>
    <message>
        <source>Latent KV</source>
        <translation>潜在 KV</translation>
    </message>
    <message>
        <source>multi-head latent attention: per token and layer the cache holds one latent of %1 dims, which is also the values, and %2 rotated key dims; each query head has %3 dims and %4 values of its own</source>
        <translation>多头潜在注意力：每个 token 每层缓存保存一个 %1 维的潜在向量（它同时就是值）以及 %2 个旋转的键维度；每个查询头有 %3 维和自己的 %4 个值</translation>
    </message>
    <message>
        <source>every layer runs a Mamba-2 state-space mixer beside its attention on the same input, their outputs summed (a state of %1 per channel, kept from token to token); the KV cache holds all %2 layers</source>
        <translation>每一层在其注意力旁边对同一输入运行一个 Mamba-2 状态空间混合器，两者输出相加（每个通道 %1 的状态，逐个 token 保留）；KV 缓存包含全部 %2 层</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>块</translation>
    </message>
    <message>
        <source>attention and the feed-forward side by side on one %1 of each layer&apos;s input, both added to it</source>
        <translation>注意力与前馈网络并行作用于每层输入的同一个 %1 结果，二者都加回输入</translation>
    </message>
    <message>
        <source>logits times %1</source>
        <translation>logits 乘以 %1</translation>
    </message>
    <message>
        <source>in one layer of %1, the others dense</source>
        <translation>每 %1 层中有一层，其余为稠密层</translation>
    </message>
    <message>
        <source>each reads its input times its weight</source>
        <translation>每个专家读取乘以其权重的输入</translation>
    </message>
    <message>
        <source>%1 of %2 layers attend only within their chunk of %3 tokens</source>
        <translation>%2 层中有 %1 层只在各自 %3 个词元的分块内做注意力</translation>
    </message>
    <message>
        <source>(their queries scaled up past %1 positions)</source>
        <translation>（超过 %1 个位置后其查询被放大）</translation>
    </message>
    <message>
        <source>Feed-forward</source>
        <translation>前馈网络</translation>
    </message>
    <message>
        <source>one projection up, squared ReLU, one down: no gate</source>
        <translation>一个上投影、平方 ReLU、一个下投影：无门控</translation>
    </message>
    <message>
        <source>one projection up, xIELU with each layer&apos;s constants, one down: no gate</source>
        <translation>一个上投影、使用各层自身常数的 xIELU、一个下投影：无门控</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>read with the vision projector beside it, %1; %2 tokens of the context each (Picture… in the chat)</source>
        <translation>由旁边的视觉投影器 %1 读取；每张占上下文 %2 个词元（聊天中的“图片…”）</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::TraceView</name>
    <message>
        <source>step (each attempt, in order)</source>
        <translation>步骤（按顺序列出每次尝试）</translation>
    </message>
    <message>
        <source>PRM score</source>
        <translation>PRM 分数</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <source>Export image…</source>
        <translation>导出图像…</translation>
    </message>
    <message>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>Turn on AR-Sampling in the bar above the chat; each reply&apos;s steps and scores are drawn here. Click a point to show its step in the chat.</source>
        <translation>在对话上方的工具栏中开启 AR-Sampling；每条回复的步骤和分数会绘制在这里。点击一个点即可在对话中显示对应的步骤。</translation>
    </message>
    <message>
        <source>The trace could not be read: %1</source>
        <translation>无法读取轨迹：%1</translation>
    </message>
    <message>
        <source>candidate %1 (chosen)</source>
        <translation>候选 %1（已选）</translation>
    </message>
    <message>
        <source>candidate %1</source>
        <translation>候选 %1</translation>
    </message>
    <message>
        <source>rethink</source>
        <translation>重新思考</translation>
    </message>
    <message>
        <source>No AR-Sampling reply yet.</source>
        <translation>还没有 AR-Sampling 回复。</translation>
    </message>
    <message>
        <source>steps: %1 · rethinks: %2 · policy tokens: %3 · PRM tokens: %4 · %5 s · p = %6</source>
        <translation>步数：%1 · 重新思考：%2 · 策略词元：%3 · PRM 词元：%4 · %5 秒 · p = %6</translation>
    </message>
    <message>
        <source>candidate %1 of %2 chosen</source>
        <translation>选中候选 %1（共 %2 个）</translation>
    </message>
    <message>
        <source>writing…</source>
        <translation>正在写…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step %1&lt;/b&gt; (candidate %2): PRM %3, %4</source>
        <translation>&lt;b&gt;第 %1 步&lt;/b&gt;（候选 %2）：PRM %3，%4</translation>
    </message>
    <message>
        <source>Trigger:</source>
        <translation>触发语：</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Export trace</source>
        <translation>导出轨迹</translation>
    </message>
    <message>
        <source>%1 could not be written.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Each attempt at a step is a point: its PRM score. A step under the dashed line p is rethought. Click a point to show its step in the chat.</source>
        <translation>每次尝试一个步骤即为一个点：其 PRM 分数。低于虚线 p 的步骤会被重新思考。点击一个点可在聊天中显示其步骤。</translation>
    </message>
    <message>
        <source>The rethink may not write “%1” here again (the policy gave it %2)</source>
        <translation>重想不得在此处再次写出“%1”（策略模型给它的概率为 %2）</translation>
    </message>
    <message>
        <source>The next version is written after this step&apos;s first trigger: the policy does not read this one</source>
        <translation>下一个版本从本步骤的第一个触发句之后写起：策略模型不会读到这一版本</translation>
    </message>
</context>
</TS>
