package dev.heaplens.capture;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;

/** The JDK's Attach API, with what a failed attach request means for the user as a {@link CaptureException}. */
final class AttachApi {
    private AttachApi() {
    }

    /**
     * {@code VirtualMachine.attach(pid)}: starts the target's attach listener if needed and checks the
     * socket's owner; every failure translated.
     */
    static VirtualMachine attach(TargetProcess target, long pid) {
        try {
            return VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw refused(target, pid, e);
        } catch (IOException e) {
            throw failed(target, pid, e);
        } catch (LinkageError e) {
            throw noAttachModule(e);
        }
    }

    /** heaplens runs where the Attach API is missing. */
    private static CaptureException noAttachModule(LinkageError e) {
        return new CaptureException(CaptureException.Reason.UNSUPPORTED, "the Attach API (module jdk.attach) is not"
                + " available: run heaplens on a JDK rather than a JRE (a modular application needs"
                + " 'requires jdk.attach')", e);
    }

    private static CaptureException refused(TargetProcess target, long pid, AttachNotSupportedException e) {
        if (!target.alive()) {
            return TargetProcess.noSuchProcess(pid);
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("does not support the attach mechanism")) {
            return new CaptureException(CaptureException.Reason.ATTACH_REFUSED, "process " + pid + " refuses attach"
                    + " requests: it runs with -XX:+DisableAttachMechanism. Restart it without that flag to capture it"
                    + " from outside, or dump it from inside (HotSpotDiagnosticMXBean, -XX:+HeapDumpOnOutOfMemoryError)", e);
        }
        return new CaptureException(CaptureException.Reason.ATTACH_REFUSED, "process " + pid + " did not answer the"
                + " attach request (" + m + "): a HotSpot JVM answers unless it runs with -Xrs or"
                + " -XX:+DisableAttachMechanism, or is stuck; try again, or check it with 'jcmd " + pid + " VM.version'", e);
    }

    private static CaptureException failed(TargetProcess target, long pid, IOException e) {
        if (!target.alive() || String.valueOf(e.getMessage()).contains("No such process")) {
            return TargetProcess.noSuchProcess(pid);
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("not secure") || m.contains("owned by") || m.contains("Permission denied")) {
            String owner = target.user().orElse("the process's user");
            return new CaptureException(CaptureException.Reason.OTHER_USER, "process " + pid + " belongs to " + owner
                    + " and does not accept attach requests from " + System.getProperty("user.name") + " (" + m
                    + "): run heaplens as " + owner, e);
        }
        return new CaptureException(CaptureException.Reason.FAILED, "attaching to process " + pid + " failed: " + m, e);
    }
}
