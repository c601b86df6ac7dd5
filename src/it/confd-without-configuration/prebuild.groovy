// The first build must find no confd in the local repository, also when target/local-repo survives from an earlier run.
def cache = new File(localRepositoryPath, 'dev/dlb/confd')
assert !cache.exists() || cache.deleteDir() : "cannot empty $cache"
return true
