# Builds confd from its Go module in a builder container (ConfdBuild sets the environment: version,
# GOARCH, and module verification against the Go checksum database forced on). `go install pkg@version`
# would also read the module's version list, which some proxies refuse, so a throwaway module requires
# the pinned version instead.
set -eu
mkdir -p /tmp/dlb-confd
cd /tmp/dlb-confd
go version
go mod init dlb.local/confd-build
go mod edit -require="github.com/abtreece/confd@v$DLB_CONFD_VERSION"
go mod download github.com/abtreece/confd
echo "verified against $GOSUMDB: $(grep "^github.com/abtreece/confd v$DLB_CONFD_VERSION h1:" go.sum)"
go build -trimpath -ldflags='-s -w' -o /tmp/dlb-confd/confd github.com/abtreece/confd/cmd/confd
echo "built confd $DLB_CONFD_VERSION for $GOOS/$GOARCH"
