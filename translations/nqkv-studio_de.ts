<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ArReply</name>
    <message>
        <source>*No steps were written.*</source>
        <translation>*Es wurden keine Schritte geschrieben.*</translation>
    </message>
    <message>
        <source>Step %1.</source>
        <translation>Schritt %1.</translation>
    </message>
    <message>
        <source>PRM %1, rethought</source>
        <translation>PRM %1, neu durchdacht</translation>
    </message>
    <message>
        <source>PRM %1, kept: no rethinks left</source>
        <translation>PRM %1, behalten: keine Neuversuche mehr</translation>
    </message>
    <message>
        <source>PRM %1</source>
        <translation>PRM %1</translation>
    </message>
    <message>
        <source>No final answer.</source>
        <translation>Keine endgültige Antwort.</translation>
    </message>
    <message>
        <source>Answer: %1</source>
        <translation>Antwort: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Candidate %1 of %2, chosen by its last PRM score; answers: %3</source>
        <translation>Kandidat %1 von %2, gewählt nach seiner letzten PRM-Bewertung; Antworten: %3</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
</context>
<context>
    <name>PictureFiles</name>
    <message>
        <source>%1: not a picture this program reads</source>
        <translation>%1: kein Bild, das dieses Programm lesen kann</translation>
    </message>
    <message>
        <source>%1: cannot open the picture (%2)</source>
        <translation>%1: Das Bild lässt sich nicht öffnen (%2)</translation>
    </message>
    <message>
        <source>%1: the file is larger than 64 MiB</source>
        <translation>%1: Die Datei ist größer als 64 MiB</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.tga *.psd *.pnm *.ppm *.pgm)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.bmp *.gif *.tga *.psd *.pnm *.ppm *.pgm)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>not an AR-Sampling trace (nqkv.ar-trace/1)</source>
        <translation>keine AR-Sampling-Spur (nqkv.ar-trace/1)</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ArBar</name>
    <message>
        <source>Self-correct (AR-Sampling)</source>
        <translation>Selbstkorrektur (AR-Sampling)</translation>
    </message>
    <message>
        <source>Write the reply step by step; a process reward model scores each step and a weak one is rethought</source>
        <translation>Die Antwort Schritt für Schritt schreiben; ein Prozess-Belohnungsmodell bewertet jeden Schritt, und ein schwacher wird neu durchdacht</translation>
    </message>
    <message>
        <source>PRM…</source>
        <translation>PRM…</translation>
    </message>
    <message>
        <source>Use the bundled PRM</source>
        <translation>Mitgeliefertes PRM verwenden</translation>
    </message>
    <message>
        <source>A step scoring below p is rethought</source>
        <translation>Ein Schritt mit einer Bewertung unter p wird neu durchdacht</translation>
    </message>
    <message>
        <source>Rethinks allowed per step</source>
        <translation>Erlaubte Neuversuche pro Schritt</translation>
    </message>
    <message>
        <source>Candidates; the one whose last step scores best is shown</source>
        <translation>Kandidaten; angezeigt wird der, dessen letzter Schritt am besten bewertet ist</translation>
    </message>
    <message>
        <source>Triggers…</source>
        <translation>Auslöser…</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>rethinks</source>
        <translation>Neuversuche</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>bundled PRM</source>
        <translation>mitgeliefertes PRM</translation>
    </message>
    <message>
        <source>The arithmetic PRM that ships with the app</source>
        <translation>Das Arithmetik-PRM, das mit der App ausgeliefert wird</translation>
    </message>
    <message>
        <source>Default trigger: %1</source>
        <translation>Standard-Auslöser: %1</translation>
    </message>
    <message>
        <source>Choose a process reward model</source>
        <translation>Prozess-Belohnungsmodell wählen</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF-Modelle (*.gguf);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The trigger &quot;%1&quot; has no {n}, where the step number goes.</source>
        <translation>Der Auslöser „%1“ enthält kein {n} für die Schrittnummer.</translation>
    </message>
    <message>
        <source>Trigger texts</source>
        <translation>Auslösetexte</translation>
    </message>
    <message>
        <source>Appended after a step the PRM rejects, used in turn. {n} is the step number. Separate templates with a line holding only ---. Leave empty for the default.</source>
        <translation>Wird nach einem vom PRM abgelehnten Schritt angehängt, der Reihe nach verwendet. {n} ist die Schrittnummer. Vorlagen durch eine Zeile trennen, die nur --- enthält. Leer lassen für den Standard.</translation>
    </message>
    <message>
        <source>What the PRM reads</source>
        <translation>Was das PRM liest</translation>
    </message>
    <message>
        <source>Automatic (from the PRM file)</source>
        <translation>Automatisch (aus der PRM-Datei)</translation>
    </message>
    <message>
        <source>Math-Shepherd: each step followed by &quot; ки&quot;</source>
        <translation>Math-Shepherd: nach jedem Schritt &quot; ки&quot;</translation>
    </message>
    <message>
        <source>Chat turns: each step a user turn (RLHFlow, Llama 3)</source>
        <translation>Chat-Runden: jeder Schritt eine Nutzer-Runde (RLHFlow, Llama 3)</translation>
    </message>
    <message>
        <source>rethink differs</source>
        <translation>Neuversuch anders</translation>
    </message>
    <message>
        <source>A rethought step may not repeat the rejected one where the policy was least sure of it: at that token it takes its next choice. A second rethink of a step is written after its first trigger again, barred from each rejected version&apos;s weakest token. Off: the rethink may write the same step again, and a second one reads every version before it.</source>
        <translation>Ein neu durchdachter Schritt darf den verworfenen nicht dort wiederholen, wo das Modell am unsichersten war: An diesem Token nimmt es seine nächste Wahl. Ein zweiter Neuversuch eines Schritts wird wieder nach dessen erstem Auslöser geschrieben, ohne das unsicherste Token jeder verworfenen Fassung. Aus: Der Neuversuch darf denselben Schritt noch einmal schreiben, und ein zweiter liest jede Fassung davor.</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::BlockHistogramPlot</name>
    <message>
        <source>original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>dequantized</source>
        <translation>dequantisiert</translation>
    </message>
    <message>
        <source>fitted normal</source>
        <translation>angepasste Normalverteilung</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>density</source>
        <translation>Dichte</translation>
    </message>
    <message>
        <source>Pick a block in the map or with the spin boxes.</source>
        <translation>Einen Block in der Karte oder mit den Drehfeldern wählen.</translation>
    </message>
    <message>
        <source>stored (originals not captured)</source>
        <translation>gespeichert (Originale nicht erfasst)</translation>
    </message>
    <message>
        <source>%1 layer %2, token %3, block %4 (values %5–%6), %7</source>
        <translation>%1 Schicht %2, Token %3, Block %4 (Werte %5–%6), %7</translation>
    </message>
    <message>
        <source>. The original values of this token were not captured (the inspection buffer was full), so the stored values are shown.</source>
        <translation>. Die Originalwerte dieses Tokens wurden nicht erfasst (der Inspektionspuffer war voll), daher werden die gespeicherten Werte gezeigt.</translation>
    </message>
    <message>
        <source>: μ = %1, σ = %2, KS D = %3, p = %4</source>
        <translation>: μ = %1, σ = %2, KS D = %3, p = %4</translation>
    </message>
    <message>
        <source>; stored without a codebook.</source>
        <translation>; ohne Codebuch gespeichert.</translation>
    </message>
    <message>
        <source>; scale %1; MSE %2 (%3 of σ², N(0,1) limit %4)</source>
        <translation>; Skala %1; MSE %2 (%3 von σ², N(0,1)-Grenze %4)</translation>
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
        <translation>KS-Statistik</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Map blocks</source>
        <translation>Blöcke kartieren</translation>
    </message>
    <message>
        <source>Compute the statistic for every block the cache captured</source>
        <translation>Die Statistik für jeden vom Cache erfassten Block berechnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>layer · block</source>
        <translation>Schicht · Block</translation>
    </message>
    <message>
        <source>Show block</source>
        <translation>Block zeigen</translation>
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
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Block</translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>Exportieren:</translation>
    </message>
    <message>
        <source>Map of %1 blocks (%2 layers × %3 blocks per row × %4 tokens). Click a cell to open its block.</source>
        <translation>Karte von %1 Blöcken (%2 Schichten × %3 Blöcke pro Zeile × %4 Token). Eine Zelle anklicken, um ihren Block zu öffnen.</translation>
    </message>
    <message>
        <source>Pick a block first; there is nothing to export yet.</source>
        <translation>Zuerst einen Block wählen; noch gibt es nichts zu exportieren.</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV-Tabelle (*.csv)</translation>
    </message>
    <message>
        <source>Export block</source>
        <translation>Block exportieren</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1: could not be written.</source>
        <translation>%1: konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>This model&apos;s values are part of its keys (multi-head latent attention): its cache has no V blocks</source>
        <translation>Die Werte dieses Modells sind Teil seiner Schlüssel (Multi-Head Latent Attention): sein Cache hat keine V-Blöcke</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ChatController</name>
    <message>
        <source>Interrupted: the app closed while this reply was being written.</source>
        <translation>Unterbrochen: Die App wurde geschlossen, während diese Antwort geschrieben wurde.</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Chat database</source>
        <translation>Chat-Datenbank</translation>
    </message>
    <message>
        <source>The message could not be saved: %1</source>
        <translation>Die Nachricht konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Angehalten.</translation>
    </message>
    <message>
        <source>The reply failed</source>
        <translation>Die Antwort ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>The model did not read the oldest message: the conversation outgrew its context.</source>
        <translation>Das Modell hat die älteste Nachricht nicht gelesen: Das Gespräch ist über seinen Kontext hinausgewachsen.</translation>
    </message>
    <message>
        <source>The model did not read the %1 oldest messages: the conversation outgrew its context.</source>
        <translation>Das Modell hat die %1 ältesten Nachrichten nicht gelesen: Das Gespräch ist über seinen Kontext hinausgewachsen.</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ChatView</name>
    <message>
        <source>Type a message. Ctrl+Enter sends.</source>
        <translation>Nachricht eingeben. Strg+Eingabe sendet.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Picture…</source>
        <translation>Bild…</translation>
    </message>
    <message>
        <source>Pictures for the next message</source>
        <translation>Bilder für die nächste Nachricht</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Send the next message without these pictures</source>
        <translation>Die nächste Nachricht ohne diese Bilder senden</translation>
    </message>
    <message>
        <source>Pictures for the next message: %1</source>
        <translation>Bilder für die nächste Nachricht: %1</translation>
    </message>
    <message>
        <source>Show the model a picture with the next message (or drop or paste one here)</source>
        <translation>Dem Modell mit der nächsten Nachricht ein Bild zeigen (oder eines hier ablegen oder einfügen)</translation>
    </message>
    <message>
        <source>The pasted picture</source>
        <translation>Das eingefügte Bild</translation>
    </message>
    <message>
        <source>Pictures waiting for a model that reads them: %1</source>
        <translation>Bilder, die auf ein Modell warten, das sie lesen kann: %1</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::CompareView</name>
    <message>
        <source>The prompt every configuration answers</source>
        <translation>Der Prompt, den jede Konfiguration beantwortet</translation>
    </message>
    <message>
        <source>The reference: always run</source>
        <translation>Die Referenz: läuft immer</translation>
    </message>
    <message>
        <source>mixes, e.g. k=nq4,v=nq2; k=nq8,v=nq4</source>
        <translation>Mischungen, z. B. k=nq4,v=nq2; k=nq8,v=nq4</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>KL divergence from fp16 (nats)</source>
        <translation>KL-Divergenz zu fp16 (nats)</translation>
    </message>
    <message>
        <source>log-probability − fp16&apos;s</source>
        <translation>Log-Wahrscheinlichkeit − die von fp16</translation>
    </message>
    <message>
        <source>token of fp16&apos;s output</source>
        <translation>Token der fp16-Ausgabe</translation>
    </message>
    <message>
        <source>KV bytes</source>
        <translation>KV-Bytes</translation>
    </message>
    <message>
        <source>KV</source>
        <translation>KV</translation>
    </message>
    <message>
        <source>bytes/token</source>
        <translation>Bytes/Token</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>Token/s</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>Perplexität</translation>
    </message>
    <message>
        <source>Δ% vs fp16</source>
        <translation>Δ% zu fp16</translation>
    </message>
    <message>
        <source>mean KL</source>
        <translation>mittlere KL</translation>
    </message>
    <message>
        <source>top-1 = fp16</source>
        <translation>Top-1 = fp16</translation>
    </message>
    <message>
        <source>diverges at</source>
        <translation>weicht ab bei</translation>
    </message>
    <message>
        <source>context in budget</source>
        <translation>Kontext im Budget</translation>
    </message>
    <message>
        <source>Save scored text…</source>
        <translation>Bewerteten Text speichern…</translation>
    </message>
    <message>
        <source>Type a prompt first: every configuration answers the same one.</source>
        <translation>Zuerst einen Prompt eingeben: Jede Konfiguration beantwortet denselben.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starte…</translation>
    </message>
    <message>
        <source>Comparison failed: %1</source>
        <translation>Vergleich fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 configurations, %2 prompt tokens, %3 tokens of fp16&apos;s output scored</source>
        <translation>%1 Konfigurationen, %2 Prompt-Token, %3 Token der fp16-Ausgabe bewertet</translation>
    </message>
    <message>
        <source>(reference)</source>
        <translation>(Referenz)</translation>
    </message>
    <message>
        <source>same as fp16</source>
        <translation>gleich wie fp16</translation>
    </message>
    <message>
        <source>diverges at token %1</source>
        <translation>weicht ab bei Token %1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 Token</translation>
    </message>
    <message>
        <source>Perplexity as `%1`, on the text saved with the button.</source>
        <translation>Perplexität wie `%1`, auf dem mit der Schaltfläche gespeicherten Text.</translation>
    </message>
    <message>
        <source>KL(fp16 ‖ config), nats</source>
        <translation>KL(fp16 ‖ Konfiguration), nats</translation>
    </message>
    <message>
        <source>Δ log p of fp16&apos;s token</source>
        <translation>Δ log p des fp16-Tokens</translation>
    </message>
    <message>
        <source>Save scored text</source>
        <translation>Bewerteten Text speichern</translation>
    </message>
    <message>
        <source>Text (*.txt)</source>
        <translation>Text (*.txt)</translation>
    </message>
    <message>
        <source>%1 could not be written.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Überlegung</translation>
    </message>
    <message>
        <source>Picture…</source>
        <translation>Bild…</translation>
    </message>
    <message>
        <source>Show the model a picture with the prompt</source>
        <translation>Dem Modell mit der Eingabe ein Bild zeigen</translation>
    </message>
    <message>
        <source>Pictures for the prompt</source>
        <translation>Bilder für die Eingabe</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Compare without these pictures</source>
        <translation>Ohne diese Bilder vergleichen</translation>
    </message>
    <message>
        <source>With the prompt: %1</source>
        <translation>Mit der Eingabe: %1</translation>
    </message>
    <message>
        <source>Pictures waiting for a model that reads them: %1</source>
        <translation>Bilder, die auf ein Modell warten, das sie lesen kann: %1</translation>
    </message>
    <message>
        <source>Pictures from the last session left out: %1</source>
        <translation>Bilder aus der letzten Sitzung ausgelassen: %1</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>JSON exportieren…</translation>
    </message>
    <message>
        <source>Everything this comparison measured, as nqkv compare --json writes it</source>
        <translation>Alles, was dieser Vergleich gemessen hat, so wie nqkv compare --json es schreibt</translation>
    </message>
    <message>
        <source>Export comparison</source>
        <translation>Vergleich exportieren</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Open JSON…</source>
        <translation>JSON öffnen…</translation>
    </message>
    <message>
        <source>Show a comparison exported before, or written by nqkv compare --json</source>
        <translation>Einen zuvor exportierten oder von nqkv compare --json geschriebenen Vergleich zeigen</translation>
    </message>
    <message>
        <source>Open comparison</source>
        <translation>Vergleich öffnen</translation>
    </message>
    <message>
        <source>From %1, model %2: %3</source>
        <translation>Aus %1, Modell %2: %3</translation>
    </message>
    <message>
        <source>(not kept for the next session: %1)</source>
        <translation>(nicht für die nächste Sitzung aufbewahrt: %1)</translation>
    </message>
    <message>
        <source>A comparison is running; open %1 when it is done.</source>
        <translation>Ein Vergleich läuft; %1 öffnen, wenn er fertig ist.</translation>
    </message>
    <message>
        <source>%1 could not be read.</source>
        <translation>%1 konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>the last session</source>
        <translation>der letzten Sitzung</translation>
    </message>
    <message>
        <source>The last comparison could not be shown again: %1</source>
        <translation>Der letzte Vergleich konnte nicht wieder gezeigt werden: %1</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ConversationList</name>
    <message>
        <source>Search conversations</source>
        <translation>Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(ohne Titel)</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ConversationSettingsDialog</name>
    <message>
        <source>Conversation settings</source>
        <translation>Einstellungen der Unterhaltung</translation>
    </message>
    <message>
        <source>Optional instructions sent before the conversation</source>
        <translation>Optionale Anweisungen, die vor der Unterhaltung gesendet werden</translation>
    </message>
    <message>
        <source>0 picks the most likely token every time (greedy)</source>
        <translation>0 wählt jedes Mal das wahrscheinlichste Token (gierig)</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Keep generating past the end-of-text token</source>
        <translation>Über das Textende-Token hinaus weiter generieren</translation>
    </message>
    <message>
        <source>model default</source>
        <translation>Modellstandard</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Size the context to what fits in this much KV memory</source>
        <translation>Den Kontext so groß machen, wie er in so viel KV-Speicher passt</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
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
        <translation>Wiederholungsstrafe</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <source>Max reply tokens</source>
        <translation>Max. Antwort-Token</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>KV-Cache</translation>
    </message>
    <message>
        <source>K format</source>
        <translation>K-Format</translation>
    </message>
    <message>
        <source>V format</source>
        <translation>V-Format</translation>
    </message>
    <message>
        <source>Block size</source>
        <translation>Blockgröße</translation>
    </message>
    <message>
        <source>Context tokens</source>
        <translation>Kontext-Token</translation>
    </message>
    <message>
        <source>KV memory budget</source>
        <translation>KV-Speicherbudget</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Systemprompt</translation>
    </message>
    <message>
        <source>Changing the KV layout rebuilds the cache at the next reply.</source>
        <translation>Eine Änderung des KV-Layouts baut den Cache bei der nächsten Antwort neu auf.</translation>
    </message>
    <message>
        <source>%1 per token, %2× smaller than fp16. Changing the KV layout rebuilds the cache at the next reply.</source>
        <translation>%1 pro Token, %2× kleiner als fp16. Eine Änderung des KV-Layouts baut den Cache bei der nächsten Antwort neu auf.</translation>
    </message>
    <message>
        <source>Leave out the oldest messages</source>
        <translation>Die ältesten Nachrichten weglassen</translation>
    </message>
    <message>
        <source>Stop with a message</source>
        <translation>Mit einer Meldung anhalten</translation>
    </message>
    <message>
        <source>What a reply does when the conversation no longer fits the context. Left-out messages stay in the conversation; only the model no longer reads them.</source>
        <translation>Was eine Antwort tut, wenn das Gespräch nicht mehr in den Kontext passt. Weggelassene Nachrichten bleiben im Gespräch; nur das Modell liest sie nicht mehr.</translation>
    </message>
    <message>
        <source>When the context is full</source>
        <translation>Wenn der Kontext voll ist</translation>
    </message>
    <message>
        <source>low</source>
        <translation>gering</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>How long gpt-oss reasons before it answers (its system message&apos;s &quot;Reasoning:&quot;); other models ignore it</source>
        <translation>Wie lange gpt-oss überlegt, bevor es antwortet (&quot;Reasoning:&quot; in seiner Systemnachricht); andere Modelle ignorieren das</translation>
    </message>
    <message>
        <source>Reasoning effort (gpt-oss)</source>
        <translation>Denkaufwand (gpt-oss)</translation>
    </message>
    <message>
        <source>Reason before answering</source>
        <translation>Vor der Antwort nachdenken</translation>
    </message>
    <message>
        <source>Off: the reply starts with an empty &lt;think&gt;&lt;/think&gt; block, as Qwen3&apos;s template does when thinking is off, and the model answers directly. Only models whose template has a way to ask for this take it (Qwen3, SmolLM3, QwQ, later DeepSeek-R1 releases); others ignore it.</source>
        <translation>Aus: Die Antwort beginnt mit einem leeren &lt;think&gt;&lt;/think&gt;-Block, wie ihn Qwen3s Vorlage bei ausgeschaltetem Denken setzt, und das Modell antwortet direkt. Nur Modelle, deren Vorlage das erfragen kann, berücksichtigen es (Qwen3, SmolLM3, QwQ, spätere DeepSeek-R1-Versionen); andere ignorieren es.</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>Denken</translation>
    </message>
    <message>
        <source>When empty, use the model&apos;s default system prompt</source>
        <translation>Wenn leer, den Standard-Systemprompt des Modells verwenden</translation>
    </message>
    <message>
        <source>This model&apos;s chat template has no default system prompt.</source>
        <translation>Die Chatvorlage dieses Modells hat keinen Standard-Systemprompt.</translation>
    </message>
    <message>
        <source>The model&apos;s template writes this when a conversation has no system prompt (%1 characters; every reply reads it):</source>
        <translation>Die Vorlage des Modells schreibt dies, wenn eine Unterhaltung keinen Systemprompt hat (%1 Zeichen; jede Antwort liest ihn):</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::EngineWorker</name>
    <message>
        <source>Reading %1</source>
        <translation>Lese %1</translation>
    </message>
    <message>
        <source>Loading was cancelled.</source>
        <translation>Das Laden wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Checking the model</source>
        <translation>Prüfe das Modell</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>No model is loaded. Open a GGUF model first.</source>
        <translation>Kein Modell geladen. Zuerst ein GGUF-Modell öffnen.</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <source>*Candidate %1*</source>
        <translation>*Kandidat %1*</translation>
    </message>
    <message>
        <source>no GPU: %1</source>
        <translation>keine GPU: %1</translation>
    </message>
    <message>
        <source>%1, replies begin with “%2”</source>
        <translation>%1, Antworten beginnen mit „%2“</translation>
    </message>
    <message>
        <source>This model cannot read pictures: no vision projector (mmproj*.gguf) that fits it is beside it.</source>
        <translation>Dieses Modell kann keine Bilder lesen: Neben ihm liegt kein passender Bildprojektor (mmproj*.gguf).</translation>
    </message>
    <message>
        <source>picture %1</source>
        <translation>Bild %1</translation>
    </message>
    <message>
        <source>Reading picture %1 of %2: layer %3 of %4</source>
        <translation>Bild %1 von %2 wird gelesen: Schicht %3 von %4</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Öffnen Sie zuerst ein Modell.</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::KvPanel</name>
    <message>
        <source>KV memory used</source>
        <translation>Belegter KV-Speicher</translation>
    </message>
    <message>
        <source>Against the same tokens in fp16</source>
        <translation>Im Vergleich zu denselben Token in fp16</translation>
    </message>
    <message>
        <source>Tokens cached</source>
        <translation>Zwischengespeicherte Token</translation>
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
        <translation>Schicht</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Bytes per layer</source>
        <translation>Bytes pro Schicht</translation>
    </message>
    <message>
        <source>%1 of %2 %3</source>
        <translation>%1 von %2 %3</translation>
    </message>
    <message>
        <source>(budget)</source>
        <translation>(Budget)</translation>
    </message>
    <message>
        <source>(allocated)</source>
        <translation>(zugewiesen)</translation>
    </message>
    <message>
        <source>%1 instead of %2: %3× smaller</source>
        <translation>%1 statt %2: %3× kleiner</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <source>K %1 (%2 bits/value), V %3 (%4 bits/value), block %5; %6 per token</source>
        <translation>K %1 (%2 Bit/Wert), V %3 (%4 Bit/Wert), Block %5; %6 pro Token</translation>
    </message>
    <message>
        <source>%1 windowed layers keep only the latest %2 tokens</source>
        <translation>%1 Schichten mit Fenster oder Abschnitten behalten nur die letzten %2 Token</translation>
    </message>
    <message>
        <source>K %1 (%2 bits/value; the values are the keys&apos; latent part), block %3; %4 per token</source>
        <translation>K %1 (%2 Bit/Wert; die Werte sind der latente Teil der Schlüssel), Block %3; %4 je Token</translation>
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
        <translation>KV-Speicher</translation>
    </message>
    <message>
        <source>AR trace</source>
        <translation>AR-Spur</translation>
    </message>
    <message>
        <source>Block inspector</source>
        <translation>Block-Inspektor</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Compare bit-widths</source>
        <translation>Bitbreiten vergleichen</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation>Nachricht bearbeiten</translation>
    </message>
    <message>
        <source>Later messages are replaced by a new reply.</source>
        <translation>Spätere Nachrichten werden durch eine neue Antwort ersetzt.</translation>
    </message>
    <message>
        <source>Chat database</source>
        <translation>Chat-Datenbank</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Modell</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>Modell ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>&amp;Unterhaltung</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Export as &amp;Markdown…</source>
        <translation>Als &amp;Markdown exportieren…</translation>
    </message>
    <message>
        <source>Export as &amp;JSON…</source>
        <translation>Als &amp;JSON exportieren…</translation>
    </message>
    <message>
        <source>&amp;Import JSON…</source>
        <translation>JSON &amp;importieren…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;KV memory</source>
        <translation>&amp;KV-Speicher</translation>
    </message>
    <message>
        <source>&amp;Block inspector</source>
        <translation>&amp;Block-Inspektor</translation>
    </message>
    <message>
        <source>&amp;AR trace</source>
        <translation>&amp;AR-Spur</translation>
    </message>
    <message>
        <source>&amp;Model info</source>
        <translation>Modell&amp;info</translation>
    </message>
    <message>
        <source>&amp;Compare bit-widths</source>
        <translation>Bitbreiten &amp;vergleichen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About NQKV Studio</source>
        <translation>Ü&amp;ber NQKV Studio</translation>
    </message>
    <message>
        <source>About NQKV Studio</source>
        <translation>Über NQKV Studio</translation>
    </message>
    <message>
        <source>&lt;b&gt;NQKV Studio %1&lt;/b&gt;&lt;br&gt;Local LLM chat with a normal-quantile quantized KV cache.</source>
        <translation>&lt;b&gt;NQKV Studio %1&lt;/b&gt;&lt;br&gt;Lokaler LLM-Chat mit einem Normalquantil-quantisierten KV-Cache.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The language changes when NQKV Studio starts next time.</source>
        <translation>Die Sprache ändert sich beim nächsten Start von NQKV Studio.</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Lade %1…</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>Das Modell konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>%1

%2</source>
        <translation>%1

%2</translation>
    </message>
    <message>
        <source>Open a GGUF model</source>
        <translation>Ein GGUF-Modell öffnen</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF-Modelle (*.gguf);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>Unterhaltung umbenennen</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>Unterhaltung löschen</translation>
    </message>
    <message>
        <source>Delete &quot;%1&quot; and all its messages?</source>
        <translation>„%1“ und alle Nachrichten darin löschen?</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Unterhaltung exportieren</translation>
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
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Import conversation</source>
        <translation>Unterhaltung importieren</translation>
    </message>
    <message>
        <source>JSON (*.json);;All files (*)</source>
        <translation>JSON (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>Import fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1: not a JSON object (%2 at byte %3)</source>
        <translation>%1: kein JSON-Objekt (%2 bei Byte %3)</translation>
    </message>
    <message>
        <source>&amp;Backend</source>
        <translation>&amp;Backend</translation>
    </message>
    <message>
        <source>&amp;Automatic (CUDA when a GPU is usable)</source>
        <translation>&amp;Automatisch (CUDA, wenn eine GPU nutzbar ist)</translation>
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
        <translation>Letzte Antwort: %1 Prompt-Token gelesen (%2 weitere lagen schon im Cache) in %3 s, %4 Token geschrieben in %5 s</translation>
    </message>
    <message>
        <source>Could not open the vision projector</source>
        <translation>Der Bildprojektor ließ sich nicht öffnen</translation>
    </message>
    <message>
        <source>Open vision &amp;projector…</source>
        <translation>Bild&amp;projektor öffnen…</translation>
    </message>
    <message>
        <source>Vision projector for the model</source>
        <translation>Bildprojektor für das Modell</translation>
    </message>
    <message>
        <source>Vision projectors (*.gguf)</source>
        <translation>Bildprojektoren (*.gguf)</translation>
    </message>
    <message>
        <source>It was the projector last used with this model; it will not be opened with the model again.</source>
        <translation>Es war der zuletzt mit diesem Modell verwendete Projektor; er wird mit dem Modell nicht mehr geöffnet.</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::MessageWidget</name>
    <message>
        <source>You</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy this message as Markdown</source>
        <translation>Diese Nachricht als Markdown kopieren</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Edit this message and send it again (later messages are replaced)</source>
        <translation>Diese Nachricht bearbeiten und erneut senden (spätere Nachrichten werden ersetzt)</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <source>Discard this reply and generate it again</source>
        <translation>Diese Antwort verwerfen und neu erzeugen</translation>
    </message>
    <message>
        <source>not in the model&apos;s context</source>
        <translation>nicht mehr im Kontext des Modells</translation>
    </message>
    <message>
        <source>The conversation outgrew the context: the model no longer reads this message.</source>
        <translation>Das Gespräch ist über den Kontext hinausgewachsen: Das Modell liest diese Nachricht nicht mehr.</translation>
    </message>
    <message>
        <source>Show or hide how the model reasoned before answering</source>
        <translation>Zeigen oder verbergen, wie das Modell vor der Antwort überlegt hat</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>Denkt nach…</translation>
    </message>
    <message>
        <source>Reasoning (%1 words)</source>
        <translation>Überlegungen (%1 Wörter)</translation>
    </message>
    <message>
        <source>[picture]</source>
        <translation>[Bild]</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::ModelInfoPanel</name>
    <message>
        <source>No model loaded. Use &lt;b&gt;Model → Open model…&lt;/b&gt; to pick a GGUF file.</source>
        <translation>Kein Modell geladen. Mit &lt;b&gt;Modell → Modell öffnen…&lt;/b&gt; eine GGUF-Datei wählen.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>%1 (%2 bits per weight)</source>
        <translation>%1 (%2 Bit je Gewicht)</translation>
    </message>
    <message>
        <source>Weight types</source>
        <translation>Gewichtstypen</translation>
    </message>
    <message>
        <source>Layers / width</source>
        <translation>Schichten / Breite</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>Köpfe</translation>
    </message>
    <message>
        <source>%1 query, %2 KV, %3 dims each</source>
        <translation>%1 Query, %2 KV, je %3 Dimensionen</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <source>Chat format</source>
        <translation>Chat-Format</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <source>%1 tokens (trained for %2)</source>
        <translation>%1 Token (trainiert für %2)</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>KV per token</source>
        <translation>KV pro Token</translation>
    </message>
    <message>
        <source>%1 (fp16: %2)</source>
        <translation>%1 (fp16: %2)</translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation>Benötigter Speicher</translation>
    </message>
    <message>
        <source>%1 = weights %2 + KV cache %3 for the full context</source>
        <translation>%1 = Gewichte %2 + KV-Cache %3 für den vollen Kontext</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>Aufmerksamkeit</translation>
    </message>
    <message>
        <source>%1 of %2 layers see only the latest %3 tokens</source>
        <translation>%1 von %2 Schichten sehen nur die letzten %3 Token</translation>
    </message>
    <message>
        <source>Softcapping</source>
        <translation>Softcapping</translation>
    </message>
    <message>
        <source>attention scores %1, logits %2</source>
        <translation>Aufmerksamkeitswerte %1, Logits %2</translation>
    </message>
    <message>
        <source>their cache keeps the latest %1</source>
        <translation>ihr Cache behält die letzten %1</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <source>%1, %2 used per token</source>
        <translation>%1, davon %2 je Token</translation>
    </message>
    <message>
        <source>Matrix products</source>
        <translation>Matrixprodukte</translation>
    </message>
    <message>
        <source>integer dot products for %1: activations rounded to 8-bit blocks, as llama.cpp does</source>
        <translation>ganzzahlige Skalarprodukte für %1: Aktivierungen auf 8-Bit-Blöcke gerundet, wie llama.cpp es tut</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>base %1</source>
        <translation>Basis %1</translation>
    </message>
    <message>
        <source>positions divided by %1</source>
        <translation>Positionen geteilt durch %1</translation>
    </message>
    <message>
        <source>YaRN with factor %1</source>
        <translation>YaRN mit Faktor %1</translation>
    </message>
    <message>
        <source>per-pair frequency factors</source>
        <translation>Frequenzfaktoren je Paar</translation>
    </message>
    <message>
        <source>not applied in %1 of %2 layers</source>
        <translation>in %1 von %2 Schichten nicht angewandt</translation>
    </message>
    <message>
        <source>RoPE</source>
        <translation>RoPE</translation>
    </message>
    <message>
        <source>Multipliers</source>
        <translation>Multiplikatoren</translation>
    </message>
    <message>
        <source>embeddings %1, block outputs %2, logits divided by %3</source>
        <translation>Einbettungen %1, Blockausgaben %2, Logits geteilt durch %3</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Überlegung</translation>
    </message>
    <message>
        <source>its template can ask for answers without reasoning (conversation settings)</source>
        <translation>die Vorlage kann Antworten ohne Überlegung anfordern (Gesprächseinstellungen)</translation>
    </message>
    <message>
        <source>its template opens every reply with reasoning (conversation settings can skip it)</source>
        <translation>die Vorlage beginnt jede Antwort mit einer Überlegung (in den Gesprächseinstellungen abschaltbar)</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>Faltung</translation>
    </message>
    <message>
        <source>%1 of %2 layers mix tokens with a %3-tap short convolution instead of attention; the KV cache holds the other %4 layers, numbered 0 to %5 among themselves</source>
        <translation>%1 von %2 Schichten mischen Token mit einer kurzen Faltung über %3 Positionen statt mit Attention; der KV-Cache hält die übrigen %4 Schichten, unter sich von 0 bis %5 nummeriert</translation>
    </message>
    <message>
        <source>+ convolution inputs %1</source>
        <translation>+ Faltungseingaben %1</translation>
    </message>
    <message>
        <source>Mamba-2</source>
        <translation>Mamba-2</translation>
    </message>
    <message>
        <source>+ Mamba-2 state and its snapshots %1</source>
        <translation>+ Mamba-2-Zustand und seine Schnappschüsse %1</translation>
    </message>
    <message>
        <source>Default system prompt</source>
        <translation>Standard-Systemprompt</translation>
    </message>
    <message>
        <source>%1 characters, used when a conversation has none (conversation settings): “%2”</source>
        <translation>%1 Zeichen, verwendet, wenn eine Unterhaltung keinen hat (Unterhaltungseinstellungen): „%2“</translation>
    </message>
    <message>
        <source>multimodal (sections %1; text turns as plain RoPE, the fourth section&apos;s pairs not at all)</source>
        <translation>multimodal (Abschnitte %1; Text dreht wie gewöhnliches RoPE, die Paare des vierten Abschnitts gar nicht)</translation>
    </message>
    <message>
        <source>%1 of %2 layers are Mamba-2 state-space mixers instead of attention (a state of %3 per channel, kept from token to token); the KV cache holds the attention layers (%4), numbered 0 to %5 among themselves</source>
        <translation>%1 von %2 Schichten sind Mamba-2-Zustandsraum-Mischer statt Attention (ein Zustand von %3 je Kanal, von Token zu Token weitergetragen); der KV-Cache enthält die Attention-Schichten (%4), unter sich von 0 bis %5 nummeriert</translation>
    </message>
    <message>
        <source>Gated DeltaNet</source>
        <translation>Gated DeltaNet</translation>
    </message>
    <message>
        <source>%1 of %2 layers are gated delta nets (linear attention) instead of attention (%3 heads, each with a %4 × %4 state kept from token to token); the KV cache holds the attention layers (%5), numbered 0 to %6 among themselves</source>
        <translation>%1 von %2 Schichten sind Gated-Delta-Netze (lineare Attention) statt Attention (%3 Köpfe, jeder mit einem Zustand von %4 × %4, der von Token zu Token erhalten bleibt); der KV-Cache enthält die Attention-Schichten (%5), unter sich von 0 bis %6 nummeriert</translation>
    </message>
    <message>
        <source>Gated heads</source>
        <translation>Köpfe mit Gates</translation>
    </message>
    <message>
        <source>each attention head&apos;s output is multiplied by the sigmoid of its own gates before the output projection</source>
        <translation>die Ausgabe jedes Attention-Kopfes wird vor der Ausgabeprojektion mit dem Sigmoid seiner eigenen Gates multipliziert</translation>
    </message>
    <message>
        <source>+ Gated DeltaNet state and its snapshots %1</source>
        <translation>+ Gated-DeltaNet-Zustand und seine Schnappschüsse %1</translation>
    </message>
    <message>
        <source>%1 query; %2 KV of %3 dims in the full-attention layers, %4 KV of %5 dims in the windowed ones</source>
        <translation>%1 Query; %2 KV mit je %3 Dimensionen in den Schichten mit voller Attention, %4 KV mit je %5 Dimensionen in den gefensterten</translation>
    </message>
    <message>
        <source>Shared KV</source>
        <translation>Geteilter KV</translation>
    </message>
    <message>
        <source>the last %1 layers attend to the keys and values of earlier layers and keep none of their own</source>
        <translation>die letzten %1 Schichten nutzen die Keys und Values früherer Schichten und speichern keine eigenen</translation>
    </message>
    <message>
        <source>Per-layer inputs</source>
        <translation>Eingaben je Schicht</translation>
    </message>
    <message>
        <source>each layer also reads a vector of %1 per token, from an embedding table of its own</source>
        <translation>jede Schicht liest zusätzlich einen Vektor der Länge %1 je Token aus einer eigenen Embedding-Tabelle</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>each with its own heads and feed-forward width: %1 of %2 attend (the KV cache holds them), %3 have one projection instead of attention, %4 no attention, %5 no feed-forward</source>
        <translation>jede mit eigenen Heads und eigener Feed-Forward-Breite: %1 von %2 haben Attention (der KV-Cache hält sie), %3 haben statt Attention eine einzige Projektion, %4 keine Attention, %5 kein Feed-Forward</translation>
    </message>
    <message>
        <source>gates through ReLU, routed on each layer&apos;s input</source>
        <translation>Gates über ReLU, geroutet anhand der Eingabe jeder Schicht</translation>
    </message>
    <message>
        <source>AltUp</source>
        <translation>AltUp</translation>
    </message>
    <message>
        <source>%1 streams: each layer computes on a prediction of the first and corrects all of them with its output; LAuReL of rank %2 beside attention; sparse feed-forward gates in %3 of %4 layers</source>
        <translation>%1 Ströme: jede Schicht rechnet mit einer Vorhersage des ersten und korrigiert alle mit ihrer Ausgabe; LAuReL vom Rang %2 neben der Attention; dünn besetzte Feed-Forward-Gates in %3 von %4 Schichten</translation>
    </message>
    <message>
        <source>Latent KV</source>
        <translation>Latenter KV</translation>
    </message>
    <message>
        <source>multi-head latent attention: per token and layer the cache holds one latent of %1 dims, which is also the values, and %2 rotated key dims; each query head has %3 dims and %4 values of its own</source>
        <translation>Multi-Head Latent Attention: je Token und Schicht hält der Cache einen latenten Vektor mit %1 Dimensionen, der zugleich die Werte ist, und %2 rotierte Schlüsseldimensionen; jeder Query-Kopf hat %3 Dimensionen und %4 eigene Werte</translation>
    </message>
    <message>
        <source>every layer runs a Mamba-2 state-space mixer beside its attention on the same input, their outputs summed (a state of %1 per channel, kept from token to token); the KV cache holds all %2 layers</source>
        <translation>jede Schicht führt neben ihrer Attention einen Mamba-2-Zustandsraum-Mixer auf derselben Eingabe aus, deren Ausgaben summiert werden (ein Zustand von %1 je Kanal, von Token zu Token gehalten); der KV-Cache enthält alle %2 Schichten</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>Blöcke</translation>
    </message>
    <message>
        <source>attention and the feed-forward side by side on one %1 of each layer&apos;s input, both added to it</source>
        <translation>Attention und Feed-Forward nebeneinander auf einer %1 der Eingabe jeder Schicht, beide zu ihr addiert</translation>
    </message>
    <message>
        <source>logits times %1</source>
        <translation>Logits mal %1</translation>
    </message>
    <message>
        <source>in one layer of %1, the others dense</source>
        <translation>in einer von %1 Schichten, die übrigen dicht</translation>
    </message>
    <message>
        <source>each reads its input times its weight</source>
        <translation>jeder liest seine Eingabe mal seinem Gewicht</translation>
    </message>
    <message>
        <source>%1 of %2 layers attend only within their chunk of %3 tokens</source>
        <translation>%1 von %2 Schichten achten nur innerhalb ihres Abschnitts von %3 Tokens</translation>
    </message>
    <message>
        <source>(their queries scaled up past %1 positions)</source>
        <translation>(ihre Anfragen ab %1 Positionen hochskaliert)</translation>
    </message>
    <message>
        <source>Feed-forward</source>
        <translation>Feed-Forward</translation>
    </message>
    <message>
        <source>one projection up, squared ReLU, one down: no gate</source>
        <translation>eine Projektion hinauf, quadrierte ReLU, eine hinab: ohne Gate</translation>
    </message>
    <message>
        <source>one projection up, xIELU with each layer&apos;s constants, one down: no gate</source>
        <translation>eine Projektion hinauf, xIELU mit den Konstanten jeder Schicht, eine hinab: ohne Gate</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>read with the vision projector beside it, %1; %2 tokens of the context each (Picture… in the chat)</source>
        <translation>gelesen mit dem Bildprojektor daneben, %1; je %2 Token des Kontexts (Bild… im Chat)</translation>
    </message>
</context>
<context>
    <name>nqkv::studio::TraceView</name>
    <message>
        <source>step (each attempt, in order)</source>
        <translation>Schritt (jeder Versuch, der Reihe nach)</translation>
    </message>
    <message>
        <source>PRM score</source>
        <translation>PRM-Bewertung</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>JSON exportieren…</translation>
    </message>
    <message>
        <source>Export image…</source>
        <translation>Bild exportieren…</translation>
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
        <translation>AR-Sampling in der Leiste über dem Chat einschalten; die Schritte und Bewertungen jeder Antwort werden hier gezeichnet. Einen Punkt anklicken, um seinen Schritt im Chat zu zeigen.</translation>
    </message>
    <message>
        <source>The trace could not be read: %1</source>
        <translation>Die Spur konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>candidate %1 (chosen)</source>
        <translation>Kandidat %1 (gewählt)</translation>
    </message>
    <message>
        <source>candidate %1</source>
        <translation>Kandidat %1</translation>
    </message>
    <message>
        <source>rethink</source>
        <translation>Neuversuch</translation>
    </message>
    <message>
        <source>No AR-Sampling reply yet.</source>
        <translation>Noch keine AR-Sampling-Antwort.</translation>
    </message>
    <message>
        <source>steps: %1 · rethinks: %2 · policy tokens: %3 · PRM tokens: %4 · %5 s · p = %6</source>
        <translation>Schritte: %1 · Neuversuche: %2 · Policy-Token: %3 · PRM-Token: %4 · %5 s · p = %6</translation>
    </message>
    <message>
        <source>candidate %1 of %2 chosen</source>
        <translation>Kandidat %1 von %2 gewählt</translation>
    </message>
    <message>
        <source>writing…</source>
        <translation>schreibt…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step %1&lt;/b&gt; (candidate %2): PRM %3, %4</source>
        <translation>&lt;b&gt;Schritt %1&lt;/b&gt; (Kandidat %2): PRM %3, %4</translation>
    </message>
    <message>
        <source>Trigger:</source>
        <translation>Auslöser:</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>Export trace</source>
        <translation>Spur exportieren</translation>
    </message>
    <message>
        <source>%1 could not be written.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Each attempt at a step is a point: its PRM score. A step under the dashed line p is rethought. Click a point to show its step in the chat.</source>
        <translation>Jeder Versuch eines Schritts ist ein Punkt: seine PRM-Bewertung. Ein Schritt unter der gestrichelten Linie p wird neu durchdacht. Ein Klick auf einen Punkt zeigt seinen Schritt im Chat.</translation>
    </message>
    <message>
        <source>The rethink may not write “%1” here again (the policy gave it %2)</source>
        <translation>Der Neuversuch darf hier nicht noch einmal „%1“ schreiben (das Modell gab ihm %2)</translation>
    </message>
    <message>
        <source>The next version is written after this step&apos;s first trigger: the policy does not read this one</source>
        <translation>Die nächste Fassung wird nach dem ersten Auslöser dieses Schritts geschrieben: Das Modell liest diese hier nicht</translation>
    </message>
</context>
</TS>
