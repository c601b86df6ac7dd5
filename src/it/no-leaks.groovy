// Shared by the ITs' verify scripts: evaluate(...) returns a closure that asserts Docker holds no
// container, network or volume labelled with the given project.
return { String project ->
    def label = 'label=dev.dlb.project=' + project
    ['docker ps -a -q --filter ' + label, 'docker network ls -q --filter ' + label, 'docker volume ls -q --filter ' + label].each { cmd ->
        def proc = cmd.execute()
        def out = proc.text.trim()
        assert proc.waitFor() == 0 : "'$cmd' must run"
        assert out.isEmpty() : "nothing of $project may be left in Docker, but '$cmd' lists: $out"
    }
}
