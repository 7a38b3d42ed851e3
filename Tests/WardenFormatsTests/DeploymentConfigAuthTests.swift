import Testing
import WardenCore
import WardenFormats

/// `auth` and `reservations.max_active_per_key` in `tokenwarden.yaml`.
@Suite struct DeploymentConfigAuthTests {
    @Test func authIsAutoAndTenThousandReservationsPerKeyByDefault() throws {
        let config = try DeploymentConfig.parse(yaml: "", file: "tokenwarden.yaml")
        #expect(config.authMode == .auto)
        #expect(config.maxActiveReservationsPerKey == 10_000)
    }

    @Test func bothAreRead() throws {
        let config = try DeploymentConfig.parse(yaml: "auth: required\nreservations:\n  max_active_per_key: 50\n", file: "t.yaml")
        #expect(config.authMode == .required)
        #expect(config.maxActiveReservationsPerKey == 50)
    }

    @Test func anUnknownAuthModeIsAnErrorAtItsPosition() throws {
        let error = #expect(throws: ConfigErrors.self) {
            try DeploymentConfig.parse(yaml: "auth: optional\n", file: "tokenwarden.yaml")
        }
        #expect(error?.errors.map(\.description) == [#"tokenwarden.yaml:1:7: auth must be auto or required, not "optional""#])
    }

    @Test func aPerKeyShareOfZeroIsRefused() throws {
        let error = #expect(throws: ConfigErrors.self) {
            try DeploymentConfig.parse(yaml: "reservations:\n  max_active_per_key: 0\n", file: "tokenwarden.yaml")
        }
        #expect(error?.errors.first?.description.hasPrefix("tokenwarden.yaml:2:23: reservations.max_active_per_key") == true)
    }
}
