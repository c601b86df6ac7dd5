// render-config ran twice with no engine reachable; everything must be in target/dlb.
def dlb = new File(basedir, 'target/dlb')
def log = new File(basedir, 'build.log').text

assert log.contains('BUILD SUCCESS') : 'render-config must succeed with no Docker engine'
['web/Dockerfile', 'web/dlb-entrypoint.sh', 'web/dlb-confd.sh', 'web/confd',
 'web/confd-etc/conf.d/dlb-httpd.toml', 'web/confd-etc/templates/dlb-index.html.tmpl',
 'web/confd-etc/conf.d/color.toml', 'web/confd-etc/templates/color.tmpl', 'web/content/hello.html',
 'balancer/Dockerfile', 'balancer/dlb-entrypoint.sh', 'balancer/confd-etc/conf.d/nginx.toml',
 'balancer/confd-etc/templates/nginx.conf.tmpl', 'docker-compose.yml'].each { path ->
    assert new File(dlb, path).isFile() : "render-config must write target/dlb/$path"
}
assert new File(dlb, 'web/dlb-entrypoint.sh').canExecute() : 'the entrypoint must be executable'
assert new File(dlb, 'web/confd').canExecute() : 'the confd binary must be executable'
assert new File(dlb, 'web/Dockerfile').text.contains('FROM httpd:2.4') : 'the web image defaults to the official httpd'
assert new File(dlb, 'balancer/Dockerfile').text.contains('FROM nginx:') : 'the balancer defaults to the official nginx'

def compose = new File(dlb, 'docker-compose.yml').text
// the second run asked for 4 replicas on the command line
(1..4).each { n -> assert compose.contains("web-$n:") : "compose must describe web-$n: $compose" }
assert !compose.contains('web-5:') : 'no fifth replica'
assert compose.contains('DLB_UPSTREAMS: web-1,web-2,web-3,web-4') : 'the balancer gets the upstream list as environment'
assert compose.contains('DLB_STRATEGY: least-connections') : 'strategy reaches the balancer as environment'
assert compose.contains('127.0.0.1:18080:80') : 'only the balancer is published, on 127.0.0.1:18080'
assert compose.contains('COLOR: blue') : 'stack-wide environment reaches every replica'
assert compose.contains('internal: true') : 'the replicas sit on an internal network'
assert compose.contains('read_only: true') : 'the balancer runs on a read-only root file system'

// docker-compose (installed by scripts/env/docker-engine.sh) must accept the file as it is
def composeCheck = ['docker-compose', '-f', new File(dlb, 'docker-compose.yml').path, 'config', '-q'].execute(['DOCKER_HOST=unix:///nonexistent'], basedir)
def composeErr = composeCheck.err.text
assert composeCheck.waitFor() == 0 : "docker-compose config must accept the rendered file: $composeErr"

def runs = (log =~ /dlb: rendered (\d+) files to .* \((\d+) changed\)/).collect { it[2] as int }
assert runs.size() == 2 : "two render runs expected in the log, found $runs"
assert runs[1] == 2 : "the second run must rewrite only what changed (the compose file and the stack file), got $runs"

return true
