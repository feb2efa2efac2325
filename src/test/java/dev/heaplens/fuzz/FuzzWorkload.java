package dev.heaplens.fuzz;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seed corpus's program: a small heap with something of every shape the analyses look at (a
 * static map that dominates, a list, primitive and object arrays, a cycle, a weak reference, a
 * thread holding a local, inheritance three classes deep), so that mutants of its dump reach every
 * analysis. It prints {@code READY <pid>} and sleeps while it is dumped.
 */
public final class FuzzWorkload {
    /** The largest holder: a static map of sessions. */
    static final Map<String, Session> SESSIONS = new HashMap<>();
    static final List<Object> LISTENERS = new ArrayList<>();
    static final Map<Integer, int[]> BUFFERS = new ConcurrentHashMap<>();
    static Object[] slots = new Object[17];
    static WeakReference<Session> weak;

    private FuzzWorkload() {
    }

    static class Base {
        long created = 1;
        Object owner;
    }

    static class Session extends Base {
        final String id;
        byte[] payload;
        Session peer;

        Session(String id, int bytes) {
            this.id = id;
            this.payload = new byte[bytes];
        }
    }

    static final class AdminSession extends Session {
        char[] secret = "hunter2".toCharArray();
        double[] scores = {1.5, 2.5};

        AdminSession(String id) {
            super(id, 64);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Session s = i % 10 == 0 ? new AdminSession("admin-" + i) : new Session("s-" + i, 16 + i);
            SESSIONS.put(s.id, s);
            if (i % 3 == 0) {
                LISTENERS.add((Runnable) () -> s.payload[0]++);
            }
        }
        Session a = SESSIONS.get("s-1");
        Session b = SESSIONS.get("s-2");
        a.peer = b;
        b.peer = a; // a cycle
        a.owner = slots;
        slots[3] = a;
        slots[16] = new LinkedList<>(List.of("x", "y", "z"));
        for (int i = 0; i < 20; i++) {
            BUFFERS.put(i, new int[i * 4]);
        }
        weak = new WeakReference<>(new Session("weakly-held", 32));
        Object local = new Session("held-by-a-thread", 128);
        Thread holder = new Thread(() -> {
            Object mine = new long[64];
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                System.out.println(mine);
            }
        }, "fuzz-holder");
        holder.setDaemon(true);
        holder.start();
        System.out.println("READY " + ProcessHandle.current().pid());
        Thread.sleep(Long.MAX_VALUE);
        System.out.println(local);
    }
}
