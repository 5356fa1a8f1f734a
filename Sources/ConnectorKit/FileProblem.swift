import Foundation

/// A file system error in words an admin can act on. Foundation's own text on Linux is often
/// "The operation could not be completed. (NSCocoaErrorDomain error 513.)".
public enum FileProblem {
    public static func plainWords(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return plain(errno: posix.code.rawValue) }
        if let cocoa = error as? CocoaError {
            if let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? POSIXError { return plain(errno: underlying.code.rawValue) }
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "the disk is full"
            case .fileWriteVolumeReadOnly: return "the disk is read-only"
            case .fileWriteFileExists: return "a file of that name is already there"
            case .fileReadTooLarge: return "the file is too large"
            case .fileReadCorruptFile, .fileReadInapplicableStringEncoding, .fileReadUnknownStringEncoding:
                return "the file's text cannot be read"
            default: break
            }
        }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return plain(errno: Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return plain(errno: Int32(underlying.code))
        }
        return "the file system refused"
    }

    static func plain(errno code: Int32) -> String {
        switch code {
        case ENOENT: "no such file or folder"
        case EACCES, EPERM: "permission denied"
        case ENOSPC: "the disk is full"
        case EROFS: "the disk is read-only"
        case ENOTDIR: "a part of the path is not a folder"
        case EISDIR: "it is a folder"
        case EEXIST: "a file of that name is already there"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
