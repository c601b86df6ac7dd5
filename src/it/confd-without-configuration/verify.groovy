// Two builds with no <confd> block: the first built confd for the engine's architecture in a container
// and cached it in the IT's local repository; the second, offline and from clean, took it from there.
import java.security.MessageDigest

def log = new File(basedir, 'build.log').text
def runs = log.split(/(?m)^\[INFO\] BUILD SUCCESS$/, -1)
assert runs.size() == 3 : "both builds must succeed, build.log has ${runs.size() - 1} BUILD SUCCESS"
def (first, second) = [runs[0], runs[1]]

def arch = ['docker', 'version', '--format', '{{.Server.Arch}}'].execute().text.trim()
assert arch in ['amd64', 'arm64'] : "the engine's architecture: '$arch'"
def binary = new File(localRepositoryPath, "dev/dlb/confd/0.30.0/confd-0.30.0-linux-${arch}")
def sha256 = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }

assert first.contains("Building confd 0.30.0 for linux/${arch} from its Go module, verified against the Go checksum database, in a container from dlb-standin-golang:") :
        'the first build must build confd for the engine in the builder container'
assert first =~ /verified against sum\.golang\.org: github\.com\/abtreece\/confd v0\.30\.0 h1:\S+=/ :
        "go must have checked the confd module against the checksum database"
assert first.count('Building confd 0.30.0') == 1 && first.contains("SHA-256 verified: ${binary}") :
        'render-config builds confd once; build-images then finds it in the cache'
assert !second.contains('Building confd 0.30.0') : 'the offline build must not build confd again'
assert second.contains("confd 0.30.0 for linux/${arch} (the engine's architecture), SHA-256 verified: ${binary}") :
        'the offline build must take confd from the local repository, checksum checked'
assert first.contains('CONFD-RENDERED [web-1, web-2] offline=false') : 'the first run, online, must have seen both replicas serve what confd rendered'
assert second.contains('CONFD-RENDERED [web-1, web-2] offline=true') : 'the second run, offline, must have seen both replicas serve what confd rendered'

assert binary.isFile() && binary.canExecute() : "the cache must hold an executable $binary"
def recorded = new File(binary.path + '.sha256').text.split(/\s+/)[0]
assert recorded == sha256(binary) : 'the recorded SHA-256 must be the cached binary\'s'
['web', 'balancer'].each { role ->
    assert sha256(new File(basedir, "target/dlb/${role}/confd")) == recorded : "the ${role} image must get the cached confd"
}
def version = [binary.path, '--version'].execute().text
assert version.startsWith('confd 0.30.0') : "the cached confd must run here, as the host's template check runs it: '$version'"

def builders = ['docker', 'ps', '-aq', '--filter', 'label=dev.dlb.confd-build'].execute().text.trim()
assert builders.isEmpty() : "no confd build container may be left: $builders"
evaluate(new File(itScripts, 'no-leaks.groovy')).call('dev.dlb.it:confd-without-configuration')

return true
