<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>wharf::gui::CleanupController</name>
    <message numerus="yes">
        <source>Deleted %n item(s); nothing is freed until garbage collection runs (Cleanup ▸ Garbage Collection…).</source>
        <translation>
            <numerusform>Deleted %n item; nothing is freed until garbage collection runs (Cleanup ▸ Garbage Collection…).</numerusform>
            <numerusform>Deleted %n items; nothing is freed until garbage collection runs (Cleanup ▸ Garbage Collection…).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wharf::gui::DeletePlanDialog</name>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> and %n more</numerusform>
            <numerusform> and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s) disappear</source>
        <translation>
            <numerusform>%n tag disappears</numerusform>
            <numerusform>%n tags disappear</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them not selected</source>
        <translation>
            <numerusform>%n of them not selected</numerusform>
            <numerusform>%n of them not selected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n manifest(s) deleted</source>
        <translation>
            <numerusform>%n manifest deleted</numerusform>
            <numerusform>%n manifests deleted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s) removed while the image stays</source>
        <translation>
            <numerusform>%n tag removed while the image stays</numerusform>
            <numerusform>%n tags removed while the image stays</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n index(es) left broken</source>
        <translation>
            <numerusform>%n index left broken</numerusform>
            <numerusform>%n indexes left broken</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n artifact(s) orphaned</source>
        <translation>
            <numerusform>%n artifact orphaned</numerusform>
            <numerusform>%n artifacts orphaned</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Garbage collection would then free %1 (%2 bytes) in %n blob(s).</source>
        <translation>
            <numerusform>Garbage collection would then free %1 (%2 bytes) in %n blob.</numerusform>
            <numerusform>Garbage collection would then free %1 (%2 bytes) in %n blobs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Delete %n Item(s)</source>
        <translation>
            <numerusform>&amp;Delete %n Item</numerusform>
            <numerusform>&amp;Delete %n Items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped. %n item(s) were not sent; plan the same selection again to finish the job — what is gone already shows as already gone.</source>
        <translation>
            <numerusform>Stopped. %n item was not sent; plan the same selection again to finish the job — what is gone already shows as already gone.</numerusform>
            <numerusform>Stopped. %n items were not sent; plan the same selection again to finish the job — what is gone already shows as already gone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The registry refused to delete, so Wharf sent nothing else (%n item(s) not sent).</source>
        <translation>
            <numerusform>The registry refused to delete, so Wharf sent nothing else (%n item not sent).</numerusform>
            <numerusform>The registry refused to delete, so Wharf sent nothing else (%n items not sent).</numerusform>
        </translation>
    </message>
</context>
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
    <name>wharf::gui::GarbageCollectionDialog</name>
    <message numerus="yes">
        <source>%1 (%2 bytes) in %n blob(s)</source>
        <translation>
            <numerusform>%1 (%2 bytes) in %n blob</numerusform>
            <numerusform>%1 (%2 bytes) in %n blobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>From %n delete(s) Wharf recorded for this registry.</source>
        <translation>
            <numerusform>From %n delete Wharf recorded for this registry.</numerusform>
            <numerusform>From %n deletes Wharf recorded for this registry.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n blob(s) of deleted manifests are still used by remaining manifests and stay.</source>
        <translation>
            <numerusform>%n blob of deleted manifests are still used by remaining manifests and stay.</numerusform>
            <numerusform>%n blobs of deleted manifests are still used by remaining manifests and stay.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n blob(s) were already removed by an earlier collection.</source>
        <translation>
            <numerusform>%n blob was already removed by an earlier collection.</numerusform>
            <numerusform>%n blobs were already removed by an earlier collection.</numerusform>
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
    <name>wharf::gui::RetentionPolicyDialog</name>
    <message numerus="yes">
        <source>%1 to delete and %2 to keep in %n repositories. Nothing was deleted.</source>
        <translation>
            <numerusform>%1 to delete and %2 to keep in %n repository. Nothing was deleted.</numerusform>
            <numerusform>%1 to delete and %2 to keep in %n repositories. Nothing was deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s)</source>
        <translation>
            <numerusform>%n tag</numerusform>
            <numerusform>%n tags</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Applying would let garbage collection free %1 (%2 bytes) in %n blob(s).</source>
        <translation>
            <numerusform>Applying would let garbage collection free %1 (%2 bytes) in %n blob.</numerusform>
            <numerusform>Applying would let garbage collection free %1 (%2 bytes) in %n blobs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Apply the retention policy “%1” on %2: delete %n tag(s).</source>
        <translation>
            <numerusform>Apply the retention policy “%1” on %2: delete %n tag.</numerusform>
            <numerusform>Apply the retention policy “%1” on %2: delete %n tags.</numerusform>
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
