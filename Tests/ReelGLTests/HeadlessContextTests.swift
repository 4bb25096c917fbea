import CEGL
import Foundation
import Testing
import ReelCore
@testable import ReelGL

@Suite("Headless EGL context")
struct HeadlessContextTests {
    /// A desktop GL 4.3+ compatibility context where the driver has one (Mesa and NVIDIA do:
    /// shader files compile as desktop GLSL there), else OpenGL ES 3.
    @Test func makesADesktopGLOrOpenGLES3Context() throws {
        let gl = try HeadlessGL.open(device: .automatic)
        defer { gl.close() }
        let desktop = try gl.sync { $0.acceptsDesktopGLSL }
        if desktop {
            let version = gl.info.version.split(whereSeparator: { !$0.isNumber && $0 != "." }).first.map(String.init) ?? ""
            #expect(version.compare("4.3", options: .numeric) != .orderedAscending, "got \(gl.info.version)")
            #expect(gl.info.version.contains("Compatibility"), "got \(gl.info.version)")
        } else {
            #expect(gl.info.version.hasPrefix("OpenGL ES 3"), "got \(gl.info.version)")
        }
        if gl.info.renderer.contains("llvmpipe") {
            #expect(desktop, "Mesa offers a desktop compatibility context")
        }
        #expect(!gl.info.renderer.isEmpty)
        #expect(gl.info.maxTextureSize >= 2048)
        #expect(gl.info.maxSamples >= 4, "GLES 3.0 guarantees 4× MSAA")
        if gl.info.renderer.contains("llvmpipe") {
            #expect(gl.info.isSoftware, "llvmpipe must be reported as a software renderer")
        }
    }

    @Test func closeIsIdempotent() throws {
        let gl = try HeadlessGL.open(device: .automatic)
        gl.close()
        gl.close()
    }

    @Test func inventoryListsMesasSoftwareDevice() throws {
        let inventory = EGLInventory.read()
        #expect(!inventory.clientExtensions.isEmpty)
        let gl = try HeadlessGL.open(device: .automatic)
        defer { gl.close() }
        if gl.info.renderer.contains("llvmpipe"), inventory.clientExtensions.contains("EGL_EXT_device_enumeration") {
            #expect(inventory.devices.contains { $0.isSoftware })
        }
    }

    @Test func deviceOverrideFromTheEnvironment() throws {
        #expect(try GLDeviceChoice.fromEnvironment([:]) == .automatic)
        #expect(try GLDeviceChoice.fromEnvironment(["REEL_EGL_DEVICE": "2"]) == .index(2))
        let error = #expect(throws: ReelError.self) { try GLDeviceChoice.fromEnvironment(["REEL_EGL_DEVICE": "gpu"]) }
        #expect(error?.code == .eglBadDeviceOverride)
    }

    @Test func choosingADeviceThatDoesNotExistFailsClearly() throws {
        let error = #expect(throws: ReelError.self) { try HeadlessGL.open(device: .index(999)) }
        #expect(error?.code == .eglBadDeviceOverride)
        #expect(error?.message.contains("999") == true)
    }

    @Test(.enabled(if: !EGLInventory.read().devices.isEmpty, "needs EGL_EXT_device_enumeration with at least one device"))
    func choosingADeviceByIndexUsesIt() throws {
        let last = try #require(EGLInventory.read().devices.last)
        let gl = try HeadlessGL.open(device: .index(last.index))
        defer { gl.close() }
        #expect(gl.info.deviceIndex == last.index)
    }

    @Test func asyncJobsRunOnTheGLThread() async throws {
        let gl = try HeadlessGL.open(device: .automatic)
        defer { gl.close() }
        let renderer = try await gl.run { context in
            context.assertOnThread()
            return context.info.renderer
        }
        #expect(renderer == gl.info.renderer)
    }

    @Test func glCallsOffTheGLThreadTrap() async {
        await #expect(processExitsWith: .failure) {
            let gl = try HeadlessGL.open(device: .automatic)
            let context = try gl.sync { $0 }
            _ = context.liveObjects  // on the test's thread: must trap, not corrupt state
        }
    }
}
