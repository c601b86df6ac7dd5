// The full lifecycle ran against the real engine; nothing of the project may be left.
def log = new File(basedir, 'build.log').text

assert log.contains('BUILD SUCCESS') : 'mvn verify must pass'
assert log =~ /dlb: 3 replicas answering through http:\/\/127\.0\.0\.1:\d+\// : 'start must report 3 replicas answering through the balancer'
assert log =~ /Tests run: 1, Failures: 0, Errors: 0, Skipped: 0.*RoundRobinIT/ : 'the failsafe IT must run and pass'
assert log =~ /ROUND-ROBIN-ORDER \[web-\d, web-\d, web-\d/ : 'the IT must have seen the replicas in turn'
assert log.contains('dlb: removed 8 resources') : 'stop must remove 4 containers, 2 networks and 2 volumes'

evaluate(new File(itScripts, 'no-leaks.groovy')).call('dev.dlb.it:full-lifecycle')

return true
