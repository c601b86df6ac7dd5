// A failing IT fails the build, but only in failsafe's verify: post-integration-test (stop) ran before,
// the watchdog ended by itself, and nothing of the project is left in the engine.
def log = new File(basedir, 'build.log').text

assert log.contains('BUILD FAILURE') : 'a failing IT must fail the build'
assert log =~ /dlb: 3 replicas answering through http:\/\/127\.0\.0\.1:\d+\// : 'start must have brought the stack up'
assert log.contains('FAILING-IT the stack answered 200') : 'the IT must have reached the stack before it failed'
assert log.contains('DELIBERATE-IT-FAILURE') : 'the IT must have failed with its own message'
assert log =~ /Tests run: 1, Failures: 1, Errors: 0, Skipped: 0.*FailingIT/ : 'failsafe must report the one failing IT'
assert log =~ /Failed to execute goal org\.apache\.maven\.plugins:maven-failsafe-plugin:[^:]+:verify .*There are test failures/ :
        'the build must fail in failsafe:verify because of the IT'
assert !(log =~ /Failed to execute goal dev\.dlb:dlb-maven-plugin/) : 'no dlb goal may fail'

def removed = log.indexOf('dlb: removed 8 resources')
assert removed >= 0 : 'stop must run and remove 4 containers, 2 networks and 2 volumes although the IT failed'
assert removed < log.indexOf('There are test failures') : 'stop must run before failsafe:verify fails the build'

// start recorded the session and launched a watchdog; stop deleted the marker, so the watchdog ends by itself
def dlb = new File(basedir, 'target/dlb')
def watchdogLogs = dlb.listFiles().findAll { it.name ==~ /watchdog-[0-9a-f]+\.log/ }
assert watchdogLogs.size() == 1 : "start must have launched one watchdog, logs: ${watchdogLogs*.name}"
def session = (watchdogLogs[0].name =~ /watchdog-([0-9a-f]+)\.log/)[0][1]
assert !new File(dlb, "session-${session}.alive").exists() : 'stop must delete the session marker'
assert !new File(dlb, 'session.properties').exists() : 'stop must clear the session file'
def watchdogLog = ''
for (int i = 0; i < 40 && !watchdogLog.contains('STOPPED_NORMALLY'); i++) {  // at most 10 s; it polls every 0.5 s
    watchdogLog = watchdogLogs[0].text
    if (!watchdogLog.contains('STOPPED_NORMALLY')) {
        Thread.sleep(250)
    }
}
assert watchdogLog.contains("session ${session}: STOPPED_NORMALLY") : "the watchdog must end by itself after stop, its log: $watchdogLog"
assert !watchdogLog.contains('OWNER_GONE') : "the watchdog must not have had to clean up, its log: $watchdogLog"

evaluate(new File(itScripts, 'no-leaks.groovy')).call('dev.dlb.it:failing-its-leave-nothing')

return true
