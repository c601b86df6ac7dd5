package dev.dlb.core.spec;

/**
 * How the build reaches the published balancer.
 *
 * @param host what {@code dlb.balancer.url} names: a host name or an IP address (IPv6 without brackets)
 * @param engineLocal whether the engine runs on this machine (reached through a socket): only then are the bind
 *                    address and a fixed port this machine's, and checked here before anything is created; for
 *                    an engine elsewhere, the engine itself reports them when it publishes the balancer
 */
public record Reach(String host, boolean engineLocal) {

    /** An engine on this machine: the balancer is reached where it is bound, on the loopback when bound to every address. */
    public static Reach local(String bindAddress) {
        return new Reach(everyAddress(bindAddress) ? "127.0.0.1" : bare(bindAddress), true);
    }

    /** 0.0.0.0 or ::, which publish on every address. */
    public static boolean everyAddress(String address) {
        return "0.0.0.0".equals(address) || "::".equals(bare(address));
    }

    /** The balancer's URL, as {@code dlb.balancer.url} holds it. */
    public String url(int port) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
    }

    private static String bare(String address) {
        return address == null ? "" : address.replaceAll("^\\[|]$", "");
    }
}
