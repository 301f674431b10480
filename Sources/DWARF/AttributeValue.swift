/// One attribute's value as read, before it is resolved against the unit's
/// string, address and offset tables. Strings stay offsets so skipping costs
/// no allocation.
enum AttributeValue: Equatable, Sendable {
    case unsigned(UInt64)
    case signed(Int64)
    case address(UInt64)
    /// An index into .debug_addr, from DW_AT_addr_base.
    case addressIndex(UInt64)
    /// A DW_FORM_string: the offset of its first byte in the section it was read from.
    case inlineString(Int)
    /// An offset into .debug_str.
    case stringOffset(UInt64)
    /// An offset into .debug_line_str.
    case lineStringOffset(UInt64)
    /// An index into .debug_str_offsets, from DW_AT_str_offsets_base.
    case stringIndex(UInt64)
    /// A .debug_info offset, already made absolute for unit-relative forms.
    case reference(UInt64)
    /// An index into the unit's range list offsets, from DW_AT_rnglists_base.
    case rangeListIndex(UInt64)
    /// An index into the unit's location list offsets, from DW_AT_loclists_base.
    case locationListIndex(UInt64)
    /// A block or expression (DW_FORM_exprloc, DW_FORM_block*): where its
    /// bytes are in .debug_info, so a location is read only when asked for.
    case block(offset: Int, length: Int)
    /// Type signatures, supplementary-file references, 16-byte constants.
    case unused

    /// The value as a plain number, for constants and offsets.
    var number: UInt64? {
        switch self {
        case .unsigned(let v): v
        case .signed(let v): v >= 0 ? UInt64(v) : nil
        default: nil
        }
    }
}
