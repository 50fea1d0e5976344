<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>wharf::gui::DetailPanel</name>
    <message numerus="yes">
        <source>%n attestation manifest(s) (provenance/SBOM; not listed as platforms)</source>
        <translation>
            <numerusform>%n attestation manifest (provenance/SBOM; not listed as a platform)</numerusform>
            <numerusform>%n attestation manifests (provenance/SBOM; not listed as platforms)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %2
All %n platform(s), deduplicated total: %3</source>
        <translation>
            <numerusform>%1: %2
%n platform, total: %3</numerusform>
            <numerusform>%1: %2
All %n platforms, deduplicated total: %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Total %1 = config %2 + %n layer(s) %3 (compressed, as stored in the registry)</source>
        <translation>
            <numerusform>Total %1 = config %2 + %n layer %3 (compressed, as stored in the registry)</numerusform>
            <numerusform>Total %1 = config %2 + %n layers %3 (compressed, as stored in the registry)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wharf::gui::JobStatusWidget</name>
    <message numerus="yes">
        <source>%1 (+%n more)</source>
        <translation>
            <numerusform>%1 (+%n more)</numerusform>
            <numerusform>%1 (+%n more)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wharf::gui::JobsPanel</name>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n job running</numerusform>
            <numerusform>%n jobs running</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wharf::gui::MainWindow</name>
    <message numerus="yes">
        <source>%n tag(s)</source>
        <translation>
            <numerusform>%n tag</numerusform>
            <numerusform>%n tags</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n could not be read</source>
        <translation>
            <numerusform> · %n could not be read</numerusform>
            <numerusform> · %n could not be read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Selected %n tag(s) matching the filter</source>
        <translation>
            <numerusform>Selected %n tag matching the filter</numerusform>
            <numerusform>Selected %n tags matching the filter</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wharf::gui::TagTableLoadJob</name>
    <message numerus="yes">
        <source>(%n could not be read)</source>
        <translation>
            <numerusform>(%n could not be read)</numerusform>
            <numerusform>(%n could not be read)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wharf::scan::ScanJob</name>
    <message numerus="yes">
        <source>%n vulnerabilities</source>
        <translation>
            <numerusform>%n vulnerability</numerusform>
            <numerusform>%n vulnerabilities</numerusform>
        </translation>
    </message>
</context>
</TS>
