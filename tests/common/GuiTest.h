#pragma once

// Small helpers shared by the GUI suites that drive whole windows.

#include <QObject>
#include <QString>
#include <QTest>

// Runs a checking helper and stops the test function when it failed.
#define CHECKED(call)                                                                              \
    do {                                                                                           \
        call;                                                                                      \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

namespace wharf::testing {

// The named child widget; a missing one is a broken test setup, so it stops the run.
template<class T>
T *child(QObject *parent, const char *name)
{
    T *w = parent->findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

} // namespace wharf::testing
