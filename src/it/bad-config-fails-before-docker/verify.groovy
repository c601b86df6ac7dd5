// Every problem is named with its XML path, value and fix; nothing was rendered or created.
def log = new File(basedir, 'build.log').text

assert log.contains('BUILD FAILURE') : 'a bad configuration must fail the build'
assert log.contains('Invalid dlb configuration (4 problems)') : 'all four problems are reported at once'
assert log.contains("<web><replicas> = '0'") : 'names <web><replicas> and its value'
assert log.contains("<balancer><port> = '70000'") : 'names <balancer><port> and its value'
assert log.contains("<balancer><strategy> = 'fastest'") : 'names <balancer><strategy> and its value'
assert log.contains('use one of: round-robin, least-connections, ip-hash') : 'the strategy fix lists the valid values'
assert log.contains("<web><environment><BAD-NAME>") : 'names the bad environment variable'
assert log.contains('Fix:') : 'every message carries a fix'
assert !log.contains('Started dlb-') : 'no container may have been started'
assert !new File(basedir, 'target/dlb/web/Dockerfile').exists() : 'nothing may have been rendered'

def label = 'label=dev.dlb.project=dev.dlb.it:bad-config-fails-before-docker'
['docker ps -a -q --filter ' + label, 'docker network ls -q --filter ' + label, 'docker volume ls -q --filter ' + label].each { cmd ->
    def proc = cmd.execute()
    def out = proc.text.trim()
    assert proc.waitFor() == 0 : "'$cmd' must run"
    assert out.isEmpty() : "nothing may exist in Docker, but '$cmd' lists: $out"
}

return true
