#!/usr/bin/env python3
"""The benchmark's peers, derived from the docker-compose.yml that dlb:render-config writes, so that every
way of starting runs the same stack: same images, networks, volumes, environment and hardening.

  stack.py run COMPOSE PREFIX seq|par   a bash script of docker commands that brings the stack up,
                                        one `docker run` after another (seq) or the replicas at once (par)
  stack.py rm COMPOSE PREFIX            a bash script that removes it: every container at once, then the
                                        networks and volumes
  stack.py one COMPOSE PREFIX SERVICE NETWORK   a `docker run` of that service alone, as PREFIX+SERVICE on
                                        NETWORK, published on 127.0.0.1 (a replica reached directly)
  stack.py fabric8 COMPOSE PREFIX TEMPLATE   fabric8's POM for docker:start/stop of the same stack
  stack.py fabric8-build TEMPLATE PREFIX WEB_CONTEXT BALANCER_CONTEXT   fabric8's POM for docker:build of
                                        the same build contexts, to tags of its own

Names all start with PREFIX. Needs PyYAML (python3-yaml, a dependency of Debian's docker-compose).
"""
import shlex
import sys
from xml.sax.saxutils import escape

import yaml


def load(compose):
    with open(compose) as f:
        return yaml.safe_load(f)


def q(*words):
    return " ".join(shlex.quote(str(w)) for w in words)


def services(doc):
    """(name, service) with the replicas first, in their order, and the balancer last."""
    web = sorted((n for n in doc["services"] if n != "balancer"), key=lambda n: int(n.rsplit("-", 1)[1]))
    return [(n, doc["services"][n]) for n in web] + [("balancer", doc["services"]["balancer"])]


def run_options(prefix, name, svc):
    """docker create options for one service, networks aside."""
    opts = ["--name", prefix + name, "--hostname", svc.get("hostname", name)]
    for key, value in sorted(svc.get("environment", {}).items()):
        opts += ["-e", f"{key}={value}"]
    for volume in svc.get("volumes", []):
        opts += ["-v", prefix + volume]
    for cap in svc.get("cap_drop", []):
        opts += ["--cap-drop", cap]
    for cap in svc.get("cap_add", []):
        opts += ["--cap-add", cap]
    for opt in svc.get("security_opt", []):
        opts += ["--security-opt", opt]
    for limit, value in svc.get("ulimits", {}).items():
        opts += ["--ulimit", f"{limit}={value['soft']}:{value['hard']}" if isinstance(value, dict) else f"{limit}={value}"]
    if svc.get("read_only"):
        opts.append("--read-only")
    for mount in svc.get("tmpfs", []):
        opts += ["--tmpfs", mount]
    if "mem_limit" in svc:
        opts += ["--memory", svc["mem_limit"]]
    if "pids_limit" in svc:
        opts += ["--pids-limit", svc["pids_limit"]]
    if "restart" in svc:
        opts += ["--restart", svc["restart"]]
    for port in svc.get("ports", []):
        opts += ["-p", port]
    return opts


def start_lines(prefix, name, svc):
    """A container on its first network, joined to the others before it starts (docker run takes one network)."""
    nets = svc.get("networks", [])
    alias = ["--network", prefix + nets[0], "--network-alias", name] if nets else []
    if len(nets) <= 1:
        return [q("docker", "run", "-d", *alias, *run_options(prefix, name, svc), svc["image"]) + " >/dev/null"]
    lines = [q("docker", "create", *alias, *run_options(prefix, name, svc), svc["image"]) + " >/dev/null"]
    lines += [q("docker", "network", "connect", "--alias", name, prefix + n, prefix + name) for n in nets[1:]]
    return lines + [q("docker", "start", prefix + name) + " >/dev/null"]


def run_script(doc, prefix, mode):
    out = ["set -euo pipefail"]
    for net, spec in doc.get("networks", {}).items():
        internal = ["--internal"] if (spec or {}).get("internal") else []
        out.append(q("docker", "network", "create", *internal, prefix + net) + " >/dev/null")
    for vol in doc.get("volumes", {}):
        out.append(q("docker", "volume", "create", prefix + vol) + " >/dev/null")
    all_services = services(doc)
    replicas, balancer = all_services[:-1], all_services[-1]
    if mode == "seq":
        for name, svc in replicas:
            out += start_lines(prefix, name, svc)
    else:
        out.append("pids=()")
        for name, svc in replicas:
            out.append("{ " + "; ".join(start_lines(prefix, name, svc)) + "; } & pids+=($!)")
        out.append('for p in "${pids[@]}"; do wait "$p"; done')
    # the balancer's nginx resolves the replicas' names when it starts, so it comes after them, as in dlb
    out += start_lines(prefix, *balancer)
    return "\n".join(out) + "\n"


def rm_script(doc, prefix):
    names = [prefix + n for n, _ in services(doc)]
    nets = [prefix + n for n in doc.get("networks", {})]
    vols = [prefix + v for v in doc.get("volumes", {})]
    return "\n".join([
        "set -uo pipefail",
        "pids=()",
        *(q("docker", "rm", "-f", n) + " >/dev/null 2>&1 & pids+=($!)" for n in names),
        'for p in "${pids[@]}"; do wait "$p"; done',
        q("docker", "network", "rm", *nets) + " >/dev/null",
        q("docker", "volume", "rm", *vols) + " >/dev/null",
    ]) + "\n"


def xml_list(outer, inner, values, indent):
    if not values:
        return ""
    items = "".join(f"<{inner}>{escape(str(v))}</{inner}>" for v in values)
    return f"{indent}<{outer}>{items}</{outer}>\n"


def fabric8_port(port, name):
    """compose's HOST_IP::CONTAINER (a free port) is HOST_IP:PROPERTY:CONTAINER in fabric8."""
    parts = port.split(":")
    if len(parts) == 3 and not parts[1]:
        parts[1] = f"bench.port.{name}"
    return ":".join(parts)


def fabric8_image(prefix, name, svc):
    """One <image> of fabric8's run configuration. fabric8 joins a container to one network only, so the
    whole stack shares one (ours keeps the replicas on an internal network of their own)."""
    i = " " * 14
    env = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in sorted(svc.get("environment", {}).items()))
    ulimits = "".join(
        f"<ulimit><name>{k}</name><soft>{v['soft']}</soft><hard>{v['hard']}</hard></ulimit>"
        for k, v in svc.get("ulimits", {}).items())
    run = (f"{i}<hostname>{escape(svc.get('hostname', name))}</hostname>\n"
           f"{i}<network><mode>custom</mode><name>{prefix}net</name><aliases><alias>{name}</alias></aliases></network>\n"
           f"{i}<env>{env}</env>\n"
           + (f"{i}<volumes><bind>" + "".join(f"<volume>{escape(prefix + v)}</volume>" for v in svc.get("volumes", []))
              + "</bind></volumes>\n" if svc.get("volumes") else "")
           + xml_list("capDrop", "cap", svc.get("cap_drop", []), i)
           + xml_list("capAdd", "cap", svc.get("cap_add", []), i)
           + xml_list("securityOpts", "opt", svc.get("security_opt", []), i)
           + (f"{i}<readOnly>true</readOnly>\n" if svc.get("read_only") else "")
           + xml_list("tmpfs", "mount", svc.get("tmpfs", []), i)
           + (f"{i}<ulimits>{ulimits}</ulimits>\n" if ulimits else "")
           + (f"{i}<restartPolicy><name>{svc['restart']}</name></restartPolicy>\n" if "restart" in svc else "")
           + (f"{i}<memory>{svc['mem_limit']}</memory>\n" if "mem_limit" in svc else "")
           + xml_list("ports", "port", [fabric8_port(p, name) for p in svc.get("ports", [])], i)
           + xml_list("dependsOn", "container", svc.get("depends_on", []), i))
    return (f"            <image>\n              <name>{escape(svc['image'])}</name>\n              <alias>{name}</alias>\n"
            f"              <run>\n{run.replace(i, i + '  ')}              </run>\n            </image>\n")


def fill(template, prefix, images, volumes):
    with open(template) as f:
        pom = f.read()
    vols = "".join(f"<volume><name>{escape(prefix + v)}</name></volume>" for v in volumes)
    return (pom.replace("<!-- IMAGES -->", images.rstrip("\n").lstrip())
            .replace("<!-- VOLUMES -->", vols)
            .replace("BENCH_PREFIX", prefix))


def main(argv):
    cmd = argv[1]
    if cmd == "run":
        sys.stdout.write(run_script(load(argv[2]), argv[3], argv[4]))
    elif cmd == "rm":
        sys.stdout.write(rm_script(load(argv[2]), argv[3]))
    elif cmd == "one":
        doc, prefix, name, network = load(argv[2]), argv[3], argv[4], argv[5]
        svc = doc["services"][name]
        sys.stdout.write(q("docker", "run", "-d", "--network", network, *run_options(prefix, name, svc),
                           "-p", "127.0.0.1::80", svc["image"]) + " >/dev/null\n")
    elif cmd == "fabric8":
        doc, prefix = load(argv[2]), argv[3]
        images = "".join(fabric8_image(prefix, n, s) for n, s in services(doc))
        sys.stdout.write(fill(argv[4], prefix, images, doc.get("volumes", {})))
    elif cmd == "fabric8-build":
        template, prefix, web, balancer = argv[2:6]
        images = "".join(
            f"            <image><name>{prefix}{role}:latest</name><build><contextDir>{escape(ctx)}</contextDir></build></image>\n"
            for role, ctx in (("web", web), ("balancer", balancer)))
        sys.stdout.write(fill(template, prefix, images, []))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
