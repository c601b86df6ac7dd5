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

evaluate(new File(itScripts, 'no-leaks.groovy')).call('dev.dlb.it:bad-config-fails-before-docker')

return true
