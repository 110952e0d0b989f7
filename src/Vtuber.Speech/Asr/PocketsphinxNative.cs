using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vtuber.Speech.Asr;

/// <summary>
/// The few calls of Debian's pocketsphinx 0.8+5prealpha we need (speech-and-llm-stack.md 2). cmd_ln_parse_r
/// replaces the variadic cmd_ln_init, which P/Invoke cannot call portably.
/// </summary>
internal static class PocketsphinxNative
{
    public const string PocketsphinxLibrary = "libpocketsphinx.so.3";
    public const string SphinxbaseLibrary = "libsphinxbase.so.3";

    [DllImport(PocketsphinxLibrary, EntryPoint = "ps_args")]
    public static extern IntPtr PsArgs();

    // LPStr is UTF-8 on Unix, where this library exists.
    [DllImport(SphinxbaseLibrary, EntryPoint = "cmd_ln_parse_r")]
    public static extern IntPtr CmdLnParseR(IntPtr config, IntPtr definitions, int argc,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string[] argv, int strict);

    [DllImport(SphinxbaseLibrary, EntryPoint = "cmd_ln_free_r")]
    public static extern int CmdLnFreeR(IntPtr config);

    [DllImport(PocketsphinxLibrary, EntryPoint = "ps_init")]
    public static extern DecoderHandle PsInit(IntPtr config);

    [DllImport(PocketsphinxLibrary, EntryPoint = "ps_free")]
    public static extern int PsFree(IntPtr decoder);

    [DllImport(PocketsphinxLibrary, EntryPoint = "ps_start_utt")]
    public static extern int PsStartUtt(DecoderHandle decoder);

    [DllImport(PocketsphinxLibrary, EntryPoint = "ps_process_raw")]
    public static extern int PsProcessRaw(DecoderHandle decoder, short[] data, nuint samples, int noSearch, int fullUtt);

    [DllImport(PocketsphinxLibrary, EntryPoint = "ps_end_utt")]
    public static extern int PsEndUtt(DecoderHandle decoder);

    [DllImport(PocketsphinxLibrary, EntryPoint = "ps_get_hyp")]
    public static extern IntPtr PsGetHyp(DecoderHandle decoder, out int bestScore);

    /// <summary>A ps_decoder_t; freed with ps_free even if its owner forgets (finalizer-safe).</summary>
    public sealed class DecoderHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle() => PsFree(handle) >= 0;
    }
}
