// Every translatable string of the app is translated in every shipped language, and no shipped
// translation is left over from a string the sources no longer have: lupdate is run over the
// sources into copies of the .ts files and the unfinished and vanished entries are counted.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct Counts {
    int messages = 0;
    QStringList unfinished, obsolete;
};

Counts count(const QString& path) {
    Counts c;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    QXmlStreamReader xml(&f);
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        if (xml.name() == u"message") ++c.messages;
        if (xml.name() == u"source") source = xml.readElementText();
        if (xml.name() == u"translation") {
            const auto type = xml.attributes().value("type");
            const QString text = xml.readElementText();
            if (type == u"unfinished" || (type.isEmpty() && text.isEmpty()))
                c.unfinished << source;
            else if (type == u"vanished" || type == u"obsolete")
                c.obsolete << source;
        }
    }
    if (xml.hasError()) qFatal("%s: %s", qPrintable(path), qPrintable(xml.errorString()));
    return c;
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT
  private slots:
    void everyStringIsTranslated_data() {
        QTest::addColumn<QString>("ts");
        const QDir dir(NQKV_SOURCE_DIR "/translations");
        const QStringList files = dir.entryList({"*.ts"});
        QVERIFY2(files.size() >= 2, "German and Simplified Chinese are shipped");
        for (const QString& f : files) QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }

    void everyStringIsTranslated() {
        QFETCH(QString, ts);
        QTemporaryDir tmp;
        const QString copy = tmp.filePath(QFileInfo(ts).fileName());
        QVERIFY(QFile::copy(ts, copy));
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
        QProcess p;
        p.setWorkingDirectory(NQKV_SOURCE_DIR);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(NQKV_LUPDATE, {"-I", ".", "-locations", "none", "ui", "app/studio", "-ts", copy});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAll().constData());
        const Counts c = count(copy);
        qInfo("%s: %d strings, %d unfinished, %d obsolete", qPrintable(QFileInfo(ts).fileName()),
              c.messages, int(c.unfinished.size()), int(c.obsolete.size()));
        QVERIFY(c.messages > 200);
        QVERIFY2(c.unfinished.isEmpty(),
                 qPrintable("untranslated: \"" + c.unfinished.mid(0, 5).join("\", \"") + "\""));
        QVERIFY2(c.obsolete.isEmpty(),
                 qPrintable("obsolete: \"" + c.obsolete.mid(0, 5).join("\", \"") + "\""));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "test_translations.moc"
