public enum ProverCoreVersion { public static let string = "0.1.0" }
