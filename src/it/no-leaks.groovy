// Shared by the ITs' verify scripts: evaluate(...) returns a closure that asserts Docker holds no
// container, network or volume of the given project (groupId:artifactId), looked up twice through the
// docker CLI: by the label dlb puts on everything, and by the name prefix dlb-ARTIFACTID- (so that a
// resource without labels is caught too).
return { String project ->
    def prefix = 'dlb-' + project.substring(project.indexOf(':') + 1) + '-'
    def label = 'label=dev.dlb.project=' + project
    def run = { List<String> cmd ->
        def proc = cmd.execute()
        def out = proc.text.trim()
        assert proc.waitFor() == 0 : "'${cmd.join(' ')}' must run"
        out ? out.readLines() : []
    }
    [['docker', 'container', 'ls', '-a', '--format', '{{.Names}}'],
     ['docker', 'network', 'ls', '--format', '{{.Name}}'],
     ['docker', 'volume', 'ls', '--format', '{{.Name}}']].each { cmd ->
        def labelled = run(cmd + ['--filter', label])
        assert labelled.isEmpty() : "nothing of $project may be left in Docker, but '${cmd.join(' ')} --filter $label' lists: $labelled"
        def named = run(cmd).findAll { it.startsWith(prefix) }
        assert named.isEmpty() : "nothing named $prefix* may be left in Docker, but '${cmd.join(' ')}' lists: $named"
    }
}
