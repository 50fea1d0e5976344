#pragma once

#include "Command.h"

namespace wharf::cli {

// wharfctl scan REPO:TAG|REPO@DIGEST — scans an image for vulnerabilities with Wharf's own
// engine (or Trivy with --engine trivy), stores the result by digest and prints a summary and
// the findings, or exports them (--json, --format json|csv|sarif, -o FILE).
class ScanCommand : public Command
{
    Q_OBJECT
public:
    using Command::Command;
    QString name() const override { return QStringLiteral("scan"); }
    QString synopsis() const override { return QStringLiteral("scan REPO:TAG|REPO@DIGEST"); }
    QString description() const override;
    void addOptions(QCommandLineParser &parser) override;
    void execute(CommandEnv &env) override;
};

} // namespace wharf::cli
