# Install layout and installers. Included last from the top-level CMakeLists.txt, so that every
# target it decorates (wharf, wharfctl) already exists.
#
#   cmake --install <build> --prefix <dir>   binaries, .desktop, AppStream metainfo, icons,
#                                            translations, man page
#   cpack -G DEB / cpack -G TGZ              (from the build directory) the Debian package and
#                                            the relocatable tarball
#
# packaging/README.md has the macOS and Windows steps.

set(WHARF_VENDOR "Wharf contributors")
set(WHARF_PROJECT_LICENSE "MIT")
# The date of the release named by PROJECT_VERSION, for the AppStream <release> entry.
set(WHARF_RELEASE_DATE "2026-11-26")
set(WHARF_PACKAGE_MAINTAINER "Wharf maintainers <maintainers@users.noreply.r-seed-f2ecbaea.example>"
    CACHE STRING "Maintainer field of the Debian package: Name <email>")
# Read when CMake writes the bundle's Info.plist, after this file's normal variables are gone.
set(WHARF_MACOS_MINIMUM_SYSTEM_VERSION "11.0"
    CACHE STRING "LSMinimumSystemVersion of the macOS bundle")

add_subdirectory(packaging)

# --- CPack --------------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME "wharf")
set(CPACK_PACKAGE_VENDOR "${WHARF_VENDOR}")
set(CPACK_PACKAGE_CONTACT "${WHARF_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# Hard-wrapped: the Debian generator turns each line into a control-file continuation line.
set(CPACK_PACKAGE_DESCRIPTION [=[
Wharf browses Docker and OCI container registries (the CNCF distribution
registry, Harbor, GitLab, GitHub, Quay, Docker Hub and others): every
repository, tag, platform and layer with exact sizes, inventories that count
shared layers once, tag cleanup by retention rules and vulnerability scans.
Passwords are kept in the system keychain only.

The package contains the desktop application (wharf) and its command-line
twin (wharfctl), which prints the same information as text or JSON.]=])
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Wharf")
set(CPACK_PACKAGE_EXECUTABLES "wharf;Wharf")
set(CPACK_STRIP_FILES ON)
# `cpack --config CPackSourceConfig.cmake`: the sources without VCS data and build trees.
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "^${PROJECT_SOURCE_DIR}/build[^/]*/")
set(CPACK_VERBATIM_VARIABLES ON)

if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(CPACK_GENERATOR "DEB;TGZ")
elseif(WIN32)
  set(CPACK_GENERATOR "ZIP")
else()
  set(CPACK_GENERATOR "TGZ")
endif()

# Debian: dpkg-shlibdeps computes the library dependencies from the binaries; the rest are what
# Qt loads as plugins at run time, which no ELF header names.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${WHARF_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The scan result store and the RPM database reader open SQLite through the QSQLITE driver
# plugin; the app's icons are SVGs drawn by the SVG icon engine plugin.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6")
# qtkeychain talks to the Secret Service (GNOME Keyring, KeePassXC) or KWallet; Wayland sessions
# need Qt's Wayland platform plugin, otherwise the app falls back to XWayland.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager | keepassxc, qt6-wayland")

include(CPack)
