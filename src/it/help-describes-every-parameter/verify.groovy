// dlb:help -Ddetail and help:describe -Ddetail: every goal, and parameters nested in web, balancer,
// balancer's healthCheck, confd, swarm and replicaEnvironment, each with its text. PluginDescriptionsTest checks
// every parameter of the descriptors; this checks that both help goals print them.
def log = new File(basedir, 'build.log').text
def dlbHelp = log.indexOf('--- dlb:')
def describe = log.indexOf('--- help:')
assert dlbHelp >= 0 && describe > dlbHelp : 'both help goals must have run, dlb:help first'
assert !log.contains('BUILD FAILURE') : 'both help goals must succeed'

def outputs = ['dlb:help': log.substring(dlbHelp, describe), 'help:describe': log.substring(describe)]
outputs.each { goal, text ->
    def flat = text.replaceAll(/\s+/, ' ')
    ['dlb:build-images', 'dlb:deploy', 'dlb:help', 'dlb:render-config', 'dlb:start', 'dlb:stop', 'dlb:undeploy'].each { g ->
        assert text.contains(g) : "$goal must list the goal $g"
    }
    ['* replicas: how many replicas run', '* workers: httpd worker threads',
     '* replicaEnvironment > replica: the number of the replica',
     '* strategy: round-robin, least-connections or ip-hash', '* readTimeout: how long a request waits',
     '* healthCheck > interval: time between two rounds of probes', '* healthCheck > failures: failed probes in a row',
     '* binary: a local confd executable', '* updateOrder: start-first', '* volumeDriver: driver of the web and balancer data volumes',
     'Command-line override of replicas in web: -Ddlb.web.replicas=5', 'HOST[:PORT] of the registry that every node'].each { item ->
        assert flat.contains(item) : "$goal must describe '$item'"
    }
    ['Command-line override of .', '(no description available)', '@since', '{@code'].each { broken ->
        assert !text.contains(broken) : "$goal prints a broken description: '$broken'"
    }
}
return true
