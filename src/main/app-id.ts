// The app's id: the installers' appId and, on Windows, the AppUserModelId toasts are routed by.
export const APP_ID = 'com.genesyschattray.app';
