// Watch an object from JShell and see what keeps it alive.
//
//   mvn -B -q package -DskipTests
//   jshell --class-path target/heaplens-cli.jar examples/leaks/watch-an-object.jsh
//
// Only expression results you keep are held: JShell stores the value of a bare expression in a
// variable ($1, $2, ...), so call methods whose result you do not want held as statements that
// return nothing (cache.clear(), not cache.remove("draft")).
import dev.heaplens.leaks.*;
import java.util.*;

var cache = new HashMap<String, StringBuilder>();
var watcher = new LeakWatcher();
cache.put("draft", new StringBuilder("a draft nobody needs any more"));
watcher.watch(cache.get("draft"), "the draft");

// The cache still holds the draft: the check fails and the message is the path from a GC root.
try {
    watcher.assertAllCollected();
    System.out.println("collected (unexpected)");
} catch (LeakAssertionError e) {
    System.out.println(e.getMessage());
}

// Empty the cache, and the same check passes.
cache.clear();
watcher.assertAllCollected();
System.out.println("after cache.clear(): " + watcher);
/exit
