package imagine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import imagine.TestModels;
import imagine.config.ImagineConfig;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import org.junit.jupiter.api.Test;

/** A Fiji scripter's path: a JavaScript script gets the service and synthesizes through imglib2. */
class ScriptTest {

    @Test
    void javaScriptCallsTheService() throws Exception {
        ScriptEngine js = new ScriptEngineManager().getEngineByName("nashorn");
        assertNotNull(js, "nashorn-core is on the test class path");
        js.put("modelsDir", TestModels.modelsDir().toString());
        Object dims = js.eval(String.join("\n",
                "var Context = Java.type('org.scijava.Context');",
                "var ImagineService = Java.type('imagine.service.ImagineService');",
                "var ImagineConfig = Java.type('imagine.config.ImagineConfig');",
                "var ArrayImgs = Java.type('net.imglib2.img.array.ArrayImgs');",
                "var Paths = Java.type('java.nio.file.Paths');",
                "var ctx = new Context(); // a full context, as a script in Fiji gets",
                "var dims;",
                "try {",
                "  var imagine = ctx.getService(ImagineService.class);",
                "  imagine.setModelsFolder(Paths.get(modelsDir));",
                "  var ref = ArrayImgs.unsignedBytes(80, 60, 3);",
                "  var c = ref.cursor(); var i = 0;",
                "  while (c.hasNext()) { c.next().set((i++ * 7) % 256); }",
                "  var cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(48, 40).samples(2).iterations(4).build();",
                "  var out = imagine.synthesize(ref, 0, 255, cfg);",
                "  dims = out.dimension(0) + 'x' + out.dimension(1) + 'x' + out.dimension(2) + 'x' + out.dimension(3);",
                "} finally { ctx.dispose(); }",
                "dims;"));
        assertEquals("48x40x3x2", dims);
    }
}
