package imagine.ij;

import imagine.config.ImagineConfig;

/** The dialog's Help: every engine setting the "settings" field takes, from the configuration's own table. */
final class SettingsHelp {

    private SettingsHelp() {}

    static String html() {
        StringBuilder sb = new StringBuilder("<html><h3>IMAGINE settings</h3><p>Type any of these into the <b>settings</b> "
                + "field as <tt>key=value</tt>, separated by spaces; in a macro: <tt>settings=[feature_weight=5 jitter=16]"
                + "</tt>.</p><table border=1 cellpadding=2><tr><th>setting</th><th>default</th><th>range</th>"
                + "<th>what it does</th></tr>");
        for (ImagineConfig.Setting s : ImagineConfig.settings()) {
            sb.append("<tr><td><tt>").append(s.name()).append("</tt></td><td>").append(escape(s.defaultText()))
                    .append("</td><td>").append(s.limits()).append("</td><td>").append(escape(s.help()))
                    .append("</td></tr>");
        }
        return sb.append("</table></html>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
